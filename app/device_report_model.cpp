#include "device_report_model.h"

namespace lathe::app {

DeviceReportModel::DeviceReportModel(const vk::DeviceReport& report,
                                     std::vector<std::pair<QString, QString>> extra, QObject* parent)
    : QAbstractListModel(parent), available_(true), device_name_(QString::fromStdString(report.name)) {
  for (const auto& [label, value] : vk::report_rows(report)) {
    rows_.emplace_back(QString::fromStdString(label), QString::fromStdString(value));
  }
  rows_.insert(rows_.end(), extra.begin(), extra.end());
}

DeviceReportModel::DeviceReportModel(QString error, std::vector<std::pair<QString, QString>> extra,
                                     QObject* parent)
    : QAbstractListModel(parent), error_(std::move(error)), rows_(std::move(extra)) {}

int DeviceReportModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant DeviceReportModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const auto& [label, value] = rows_[static_cast<size_t>(index.row())];
  if (role == LabelRole) return label;
  if (role == ValueRole) return value;
  return {};
}

QHash<int, QByteArray> DeviceReportModel::roleNames() const {
  return {{LabelRole, "label"}, {ValueRole, "value"}};
}

}  // namespace lathe::app
