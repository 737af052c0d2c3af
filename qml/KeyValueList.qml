import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

// A scrolling two-column list of rows from a model with the roles `labelRole` and `valueRole`.
ListView {
    id: keyValues

    property string labelRole: "label"
    property string valueRole: "value"
    property int labelWidth: 260

    implicitHeight: contentHeight
    clip: true
    boundsBehavior: Flickable.StopAtBounds
    ScrollBar.vertical: ScrollBar {}

    delegate: RowLayout {
        id: row

        required property var model

        width: ListView.view.width
        spacing: 16

        Label {
            Layout.preferredWidth: keyValues.labelWidth
            Layout.alignment: Qt.AlignTop
            topPadding: 4
            bottomPadding: 4
            text: row.model[keyValues.labelRole]
            elide: Text.ElideMiddle
            opacity: 0.7
        }

        Label {
            Layout.fillWidth: true
            topPadding: 4
            bottomPadding: 4
            text: row.model[keyValues.valueRole]
            elide: Text.ElideRight
            maximumLineCount: 3
            wrapMode: Text.WrapAnywhere
            textFormat: Text.PlainText
        }
    }
}
