#pragma once
// What the Models page shows about one .gguf file: the header facts and every metadata entry, read
// by the engine's GGUF reader. Setting `source` reads the file (memory-mapped: only the header and
// tensor table are touched, so this is quick even for large models).

#include <QtQml/qqmlregistration.h>

#include <QAbstractListModel>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <utility>
#include <vector>

namespace lathe::app {

class GgufSummary : public QAbstractListModel {
  Q_OBJECT
  QML_ELEMENT
  Q_PROPERTY(QUrl source READ source WRITE setSource NOTIFY sourceChanged)
  Q_PROPERTY(bool loaded READ loaded NOTIFY summaryChanged)
  Q_PROPERTY(QString errorText READ errorText NOTIFY summaryChanged)
  Q_PROPERTY(QString fileName READ fileName NOTIFY summaryChanged)
  Q_PROPERTY(QString modelName READ modelName NOTIFY summaryChanged)
  Q_PROPERTY(QString architecture READ architecture NOTIFY summaryChanged)
  // Short facts shown as chips: architecture, file name, GGUF version, size, tensors, tensor types.
  Q_PROPERTY(QStringList facts READ facts NOTIFY summaryChanged)

 public:
  enum Role { KeyRole = Qt::UserRole + 1, ValueRole };

  explicit GgufSummary(QObject* parent = nullptr) : QAbstractListModel(parent) {}

  QUrl source() const { return source_; }
  void setSource(const QUrl& source);
  bool loaded() const { return loaded_; }
  QString errorText() const { return error_; }
  QString fileName() const { return file_name_; }
  QString modelName() const { return model_name_; }
  QString architecture() const { return architecture_; }
  QStringList facts() const { return facts_; }

  // True for a local file whose name ends in .gguf (what the drop area accepts).
  Q_INVOKABLE static bool acceptsUrl(const QUrl& url);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QHash<int, QByteArray> roleNames() const override;

 signals:
  void sourceChanged();
  void summaryChanged();

 private:
  void read();

  QUrl source_;
  bool loaded_ = false;
  QString error_;
  QString file_name_;
  QString model_name_;
  QString architecture_;
  QStringList facts_;
  std::vector<std::pair<QString, QString>> metadata_;  // key, rendered value; in file order
};

}  // namespace lathe::app
