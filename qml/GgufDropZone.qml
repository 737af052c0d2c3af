import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// Where a .gguf file comes in: drop it on the zone, or press Open to pick one.
Rectangle {
    id: zone

    // Set by the page's DropArea while a file is dragged over it.
    property bool dragActive: false
    signal openRequested

    implicitHeight: 120
    radius: 12
    color: dragActive ? Qt.rgba(Material.accentColor.r, Material.accentColor.g, Material.accentColor.b, 0.15)
                      : "transparent"
    border.width: 2
    border.color: dragActive ? Material.accentColor : Qt.rgba(1, 1, 1, 0.2)

    RowLayout {
        anchors.centerIn: parent
        spacing: 16

        Label {
            text: zone.dragActive ? qsTr("Drop to read the file") : qsTr("Drop a .gguf model file here, or")
            font.pixelSize: 16
        }

        Button {
            text: qsTr("Open…")
            icon.source: "icons/open.svg"
            highlighted: true
            visible: !zone.dragActive
            onClicked: zone.openRequested()
        }
    }
}
