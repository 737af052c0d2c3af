import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Lathe

// What the GGUF reader found in one file: its name, the facts as chips, then every metadata key.
ColumnLayout {
    id: view

    required property GgufSummary summary

    spacing: 12

    Label {
        text: view.summary.modelName
        font.pixelSize: 22
        font.weight: Font.DemiBold
        Layout.fillWidth: true
        elide: Text.ElideRight
    }

    Flow {
        Layout.fillWidth: true
        spacing: 8

        Repeater {
            model: view.summary.facts

            Label {
                required property string modelData
                text: modelData
                padding: 6
                leftPadding: 10
                rightPadding: 10
                background: Rectangle {
                    radius: height / 2
                    color: Qt.rgba(1, 1, 1, 0.08)
                }
            }
        }
    }

    Label {
        text: qsTr("Metadata (%1 keys)").arg(metadata.count)
        font.weight: Font.DemiBold
        Layout.topMargin: 8
    }

    Frame {
        Layout.fillWidth: true
        Layout.fillHeight: true

        KeyValueList {
            id: metadata
            anchors.fill: parent
            model: view.summary
            labelRole: "key"
            labelWidth: 320
        }
    }
}
