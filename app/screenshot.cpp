#include "screenshot.h"

#include <vulkan/vulkan.h>

#include <QCoreApplication>
#include <QImage>
#include <QMutexLocker>
#include <QSGRendererInterface>
#include <QTimer>
#include <cstdio>

namespace lathe::app {
namespace {

QString api_name(QSGRendererInterface::GraphicsApi api) {
  switch (api) {
    case QSGRendererInterface::Vulkan:
      return QStringLiteral("Vulkan");
    case QSGRendererInterface::OpenGL:
      return QStringLiteral("OpenGL");
    case QSGRendererInterface::Software:
      return QStringLiteral("Software");
    default:
      return QStringLiteral("other (%1)").arg(int(api));
  }
}

}  // namespace

ScreenshotTaker::ScreenshotTaker(QQuickWindow* window, QString path, QObject* parent)
    : QObject(parent), window_(window), path_(std::move(path)) {
  connect(window_, &QQuickWindow::afterRendering, this, &ScreenshotTaker::on_frame_rendered,
          Qt::DirectConnection);
  connect(window_, &QQuickWindow::frameSwapped, this, [this] {
    if (scheduled_) return;
    scheduled_ = true;
    // Let a few more frames settle (fonts, layouts) before grabbing.
    QTimer::singleShot(500, this, &ScreenshotTaker::take);
  });
  // A window that never renders must not hang the caller.
  QTimer::singleShot(120 * 1000, this, [this] {
    if (scheduled_) return;
    std::fprintf(stderr, "lathe: the window rendered no frame within 120 s; no screenshot\n");
    QCoreApplication::exit(1);
  });
}

void ScreenshotTaker::on_frame_rendered() {
  QSGRendererInterface* ri = window_->rendererInterface();
  QString api = api_name(ri->graphicsApi());
  QString device;
  if (ri->graphicsApi() == QSGRendererInterface::Vulkan) {
    auto* physical = static_cast<VkPhysicalDevice*>(
        ri->getResource(window_, QSGRendererInterface::PhysicalDeviceResource));
    if (physical != nullptr && *physical != VK_NULL_HANDLE) {
      VkPhysicalDeviceProperties props;
      vkGetPhysicalDeviceProperties(*physical, &props);
      device = QString::fromUtf8(props.deviceName);
    }
  }
  QMutexLocker lock(&mutex_);
  api_name_ = api;
  qt_device_name_ = device;
}

void ScreenshotTaker::take() {
  QImage image = window_->grabWindow();
  QString api, device;
  {
    QMutexLocker lock(&mutex_);
    api = api_name_;
    device = qt_device_name_;
  }
  std::printf("graphics api: %s\n", qPrintable(api));
  std::printf("vulkan device: %s\n", qPrintable(device.isEmpty() ? QStringLiteral("none") : device));
  std::printf("window size: %dx%d\n", window_->width(), window_->height());
  bool saved = !image.isNull() && image.save(path_, "PNG");
  if (saved) {
    std::printf("screenshot: %s (%dx%d)\n", qPrintable(path_), image.width(), image.height());
  } else {
    std::fprintf(stderr, "lathe: could not grab the window or save %s\n", qPrintable(path_));
  }
  std::fflush(stdout);
  QCoreApplication::exit(saved ? 0 : 1);
}

}  // namespace lathe::app
