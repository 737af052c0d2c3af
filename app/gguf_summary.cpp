#include "gguf_summary.h"

#include <QFileInfo>
#include <QLocale>
#include <algorithm>
#include <map>

#include "gguf/reader.h"

namespace lathe::app {
namespace {

// "Q4_K ×120, F32 ×61": tensor types by how many tensors use them, most used first.
QString type_breakdown(const std::vector<GgufTensorInfo>& tensors) {
  std::map<std::string_view, int> counts;
  for (const GgufTensorInfo& t : tensors) ++counts[dtype_info(t.type).name];
  std::vector<std::pair<int, std::string_view>> sorted;
  for (const auto& [name, n] : counts) sorted.emplace_back(n, name);
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  QStringList parts;
  for (const auto& [n, name] : sorted) {
    parts << QStringLiteral("%1 ×%2")
                 .arg(QString::fromUtf8(name.data(), qsizetype(name.size())).toUpper())
                 .arg(n);
  }
  return parts.join(QStringLiteral(", "));
}

}  // namespace

bool GgufSummary::acceptsUrl(const QUrl& url) {
  return url.isLocalFile() && url.toLocalFile().endsWith(QStringLiteral(".gguf"), Qt::CaseInsensitive);
}

void GgufSummary::setSource(const QUrl& source) {
  if (source == source_) return;
  source_ = source;
  emit sourceChanged();
  read();
}

void GgufSummary::read() {
  beginResetModel();
  loaded_ = false;
  error_.clear();
  model_name_.clear();
  architecture_.clear();
  facts_.clear();
  metadata_.clear();
  QString path = source_.isLocalFile() ? source_.toLocalFile() : source_.toString();
  file_name_ = QFileInfo(path).fileName();

  Result<GgufFile> file = GgufFile::open(path.toStdString());
  if (!file.ok()) {
    error_ = QString::fromStdString(file.error().message);
  } else {
    loaded_ = true;
    Result<std::string> name = file->get_string("general.name");
    model_name_ = name.ok() ? QString::fromStdString(*name) : file_name_;
    architecture_ = QString::fromStdString(file->architecture());
    uint64_t parameters = 0;
    for (const GgufTensorInfo& t : file->tensors()) parameters += t.elements;
    QLocale locale;
    facts_ << (architecture_.isEmpty() ? tr("no architecture") : architecture_) << file_name_
           << tr("GGUF version %1").arg(file->version())
           << tr("%1 on disk").arg(locale.formattedDataSize(qint64(file->file_size())))
           << tr("%1 tensors, %2 parameters")
                  .arg(file->tensors().size())
                  .arg(locale.toString(static_cast<qulonglong>(parameters)));
    if (!file->tensors().empty()) facts_ << type_breakdown(file->tensors());
    for (const auto& [key, value] : file->metadata()) {
      metadata_.emplace_back(QString::fromStdString(key), QString::fromStdString(value.describe()));
    }
  }
  endResetModel();
  emit summaryChanged();
}

int GgufSummary::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(metadata_.size());
}

QVariant GgufSummary::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const auto& [key, value] = metadata_[static_cast<size_t>(index.row())];
  if (role == KeyRole) return key;
  if (role == ValueRole) return value;
  return {};
}

QHash<int, QByteArray> GgufSummary::roleNames() const { return {{KeyRole, "key"}, {ValueRole, "value"}}; }

}  // namespace lathe::app
