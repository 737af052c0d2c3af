import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// The navigation rail: the app's name, then one button per page; the current one is lit.
Pane {
    id: rail

    // [{ name, icon }], one per page, in the order of the pages.
    required property var pages
    property int currentIndex: 0

    implicitWidth: 92
    padding: 0
    topPadding: 16
    background: Rectangle {
        color: Qt.darker(rail.Material.backgroundColor, 1.3)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 4

        Label {
            Layout.alignment: Qt.AlignHCenter
            Layout.bottomMargin: 20
            text: "Lathe"
            font.pixelSize: 20
            font.weight: Font.DemiBold
            color: rail.Material.accentColor
        }

        Repeater {
            model: rail.pages

            NavButton {
                required property var modelData
                required property int index

                Layout.alignment: Qt.AlignHCenter
                text: modelData.name
                iconSource: modelData.icon
                current: index === rail.currentIndex
                onClicked: rail.currentIndex = index
            }
        }

        Item {
            Layout.fillHeight: true
        }
    }
}
