// Chat: conversations with a loaded model (not built yet).
LaterNotice {
    heading: qsTr("Chat")
    notice: qsTr("Chatting with a model arrives in a later version of Lathe.")
}
