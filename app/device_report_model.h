#pragma once
// The Vulkan device report as rows of (label, value) for the Settings page.

#include <QtQml/qqmlregistration.h>

#include <QAbstractListModel>
#include <QString>
#include <utility>
#include <vector>

#include "vk/device_report.h"

namespace lathe::app {

class DeviceReportModel : public QAbstractListModel {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("The app creates the device report at start-up")
  Q_PROPERTY(bool available READ available CONSTANT)
  Q_PROPERTY(QString deviceName READ deviceName CONSTANT)
  Q_PROPERTY(QString errorText READ errorText CONSTANT)

 public:
  enum Role { LabelRole = Qt::UserRole + 1, ValueRole };

  // A report of the engine's device, with `extra` rows (how Qt renders, validation) after it.
  DeviceReportModel(const vk::DeviceReport& report, std::vector<std::pair<QString, QString>> extra,
                    QObject* parent = nullptr);
  // No device: `error` says why.
  DeviceReportModel(QString error, std::vector<std::pair<QString, QString>> extra, QObject* parent = nullptr);

  bool available() const { return available_; }
  QString deviceName() const { return device_name_; }
  QString errorText() const { return error_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

 private:
  bool available_ = false;
  QString device_name_;
  QString error_;
  std::vector<std::pair<QString, QString>> rows_;
};

}  // namespace lathe::app
