import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Lathe

// Settings: for now, what the engine found out about the Vulkan device it computes on.
Page {
    id: page

    required property DeviceReportModel deviceReport

    padding: 32

    ColumnLayout {
        anchors.fill: parent
        spacing: 24

        PageHeader {
            Layout.fillWidth: true
            title: qsTr("Settings")
            subtitle: qsTr("The GPU that Lathe computes on, as Vulkan reports it.")
        }

        Label {
            Layout.fillWidth: true
            visible: !page.deviceReport.available
            text: qsTr("No Vulkan device: %1").arg(page.deviceReport.errorText)
            wrapMode: Text.WordWrap
            color: page.Material.color(Material.Red, Material.Shade300)
        }

        Frame {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.maximumHeight: implicitHeight

            KeyValueList {
                anchors.fill: parent
                model: page.deviceReport
            }
        }

        Item {
            Layout.fillHeight: true
        }
    }
}
