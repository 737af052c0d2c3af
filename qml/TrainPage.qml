// Train: LoRA fine-tuning (not built yet).
LaterNotice {
    heading: qsTr("Train")
    notice: qsTr("LoRA fine-tuning arrives in a later version of Lathe.")
}
