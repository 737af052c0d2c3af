import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A page's title and one line saying what the page is for.
ColumnLayout {
    property alias title: titleLabel.text
    property alias subtitle: subtitleLabel.text

    spacing: 4

    Label {
        id: titleLabel
        font.pixelSize: 28
        font.weight: Font.DemiBold
    }

    Label {
        id: subtitleLabel
        Layout.fillWidth: true
        wrapMode: Text.WordWrap
        opacity: 0.7
        visible: text !== ""
    }
}
