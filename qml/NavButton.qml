import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

// One destination on the navigation rail: an icon in a pill that lights up when current, the
// page's name below it.
AbstractButton {
    id: button

    property url iconSource
    property bool current: false

    implicitWidth: 80
    implicitHeight: 64
    hoverEnabled: true
    Accessible.name: text

    contentItem: Column {
        spacing: 4

        Rectangle {
            anchors.horizontalCenter: parent.horizontalCenter
            width: 56
            height: 32
            radius: 16
            color: {
                const c = button.current ? button.Material.accentColor : button.Material.foreground;
                const a = button.current ? 0.3 : button.hovered ? 0.08 : 0;
                return Qt.rgba(c.r, c.g, c.b, a);
            }

            Image {
                anchors.centerIn: parent
                source: button.iconSource
                sourceSize: Qt.size(24, 24)
                opacity: button.current ? 1.0 : 0.75
            }
        }

        Label {
            anchors.horizontalCenter: parent.horizontalCenter
            text: button.text
            font.pixelSize: 12
            font.weight: button.current ? Font.DemiBold : Font.Normal
            opacity: button.current ? 1.0 : 0.75
        }
    }
}
