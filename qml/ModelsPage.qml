import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import Lathe

// Models: open a .gguf file (drop or dialog) and see what the engine's GGUF reader finds in it.
// The model library arrives later; this page shows one file at a time.
Page {
    id: page

    // A file to show when the page opens (from the command line).
    property url initialSource

    padding: 32

    GgufSummary {
        id: gguf
        source: page.initialSource
    }

    FileDialog {
        id: dialog
        title: qsTr("Open a GGUF model")
        nameFilters: [qsTr("GGUF models (*.gguf)"), qsTr("All files (*)")]
        onAccepted: gguf.source = selectedFile
    }

    DropArea {
        id: drop
        anchors.fill: parent
        onEntered: drag => drag.accepted = drag.hasUrls && gguf.acceptsUrl(drag.urls[0])
        onDropped: drop => gguf.source = drop.urls[0]
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 24

        PageHeader {
            Layout.fillWidth: true
            title: qsTr("Models")
            subtitle: qsTr("Open a GGUF model file to see what is inside it.")
        }

        GgufDropZone {
            Layout.fillWidth: true
            dragActive: drop.containsDrag
            onOpenRequested: dialog.open()
        }

        Label {
            Layout.fillWidth: true
            visible: gguf.errorText !== ""
            text: qsTr("Could not open this file. %1").arg(gguf.errorText)
            wrapMode: Text.WordWrap
            color: page.Material.color(Material.Red, Material.Shade300)
        }

        GgufSummaryView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: gguf.loaded
            summary: gguf
        }

        Item {
            Layout.fillHeight: true
            visible: !gguf.loaded
        }
    }
}
