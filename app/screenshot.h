#pragma once
// --screenshot FILE: once the window has rendered, grab it, save a PNG, report on stdout what
// rendered it, and quit. The GUI test runs the app this way under Xvfb.

#include <QMutex>
#include <QObject>
#include <QQuickWindow>
#include <QString>

namespace lathe::app {

class ScreenshotTaker : public QObject {
  Q_OBJECT

 public:
  // Starts watching `window`; quits the application with 0 after saving `path`, 1 on failure.
  ScreenshotTaker(QQuickWindow* window, QString path, QObject* parent = nullptr);

 private:
  void on_frame_rendered();  // render thread
  void take();               // GUI thread

  QQuickWindow* window_;
  QString path_;
  bool scheduled_ = false;
  QMutex mutex_;
  QString api_name_;        // what Qt Quick renders with, seen from the render thread
  QString qt_device_name_;  // the Vulkan device Qt Quick renders on
};

}  // namespace lathe::app
