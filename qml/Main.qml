import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Lathe

// The main window's content: the navigation rail on the left, the current page beside it.
// The window itself is made in app/main.cpp (it needs the shared Vulkan instance first).
Pane {
    id: root

    required property DeviceReportModel deviceReport
    // Set from the command line: the page shown first (0 Chat, 1 Models, 2 Train, 3 Settings) and a
    // .gguf file to open on the Models page.
    property int startPage: 1
    property url modelFile

    padding: 0
    Material.theme: Material.Dark
    Material.accent: Material.Teal

    RowLayout {
        anchors.fill: parent
        spacing: 0

        NavRail {
            id: rail
            Layout.fillHeight: true
            currentIndex: root.startPage
            pages: [
                { name: qsTr("Chat"), icon: "icons/chat.svg" },
                { name: qsTr("Models"), icon: "icons/models.svg" },
                { name: qsTr("Train"), icon: "icons/train.svg" },
                { name: qsTr("Settings"), icon: "icons/settings.svg" }
            ]
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: rail.currentIndex

            ChatPage {}
            ModelsPage {
                initialSource: root.modelFile
            }
            TrainPage {}
            SettingsPage {
                deviceReport: root.deviceReport
            }
        }
    }
}
