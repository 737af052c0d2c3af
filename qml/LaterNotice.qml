import QtQuick.Controls

// A page that is not built yet says so plainly, and nothing more.
Page {
    property alias heading: header.title
    property alias notice: header.subtitle

    padding: 32

    PageHeader {
        id: header
        anchors.left: parent.left
        anchors.right: parent.right
    }
}
