// lathe: the desktop app. One QVulkanInstance is created here and shared: Qt Quick renders through
// it, and the engine adopts the same VkInstance for its own compute device, on the physical device
// Qt Quick is told to render on.
//
//   lathe [--device N] [--page chat|models|train|settings] [--screenshot FILE.png] [MODEL.gguf]
//
// LATHE_VK_VALIDATION=1 enables VK_LAYER_KHRONOS_validation for Qt Quick and engine alike; the
// engine's messenger counts every message (printed on exit with --screenshot).
#include <QCommandLineParser>
#include <QFileInfo>
#include <QGuiApplication>
#include <QQuickGraphicsDevice>
#include <QQuickStyle>
#include <QQuickView>
#include <QVulkanInstance>
#include <cstdio>
#include <memory>

#include "device_report_model.h"
#include "engine_vulkan.h"
#include "screenshot.h"

using lathe::app::DeviceReportModel;
using lathe::app::EngineVulkan;

namespace {

std::unique_ptr<DeviceReportModel> make_report_model(const EngineVulkan& engine, bool qt_on_vulkan,
                                                     bool validation) {
  std::vector<std::pair<QString, QString>> extra;
  QString qt_renders = !qt_on_vulkan   ? QObject::tr("its default backend (no Vulkan)")
                       : engine.device ? QObject::tr("Vulkan, on the same instance and device as the engine")
                                       : QObject::tr("Vulkan");
  extra.emplace_back(QObject::tr("Qt Quick renders with"), qt_renders);
  extra.emplace_back(QObject::tr("Validation layer"),
                     validation ? QObject::tr("on (LATHE_VK_VALIDATION=1)") : QObject::tr("off"));
  if (engine.device) return std::make_unique<DeviceReportModel>(engine.device->report(), std::move(extra));
  return std::make_unique<DeviceReportModel>(engine.error, std::move(extra));
}

}  // namespace

int main(int argc, char* argv[]) {
  QGuiApplication app(argc, argv);
  QGuiApplication::setApplicationName(QStringLiteral("Lathe"));
  QGuiApplication::setOrganizationName(QStringLiteral("Lathe"));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("Chat with and fine-tune local GGUF language models."));
  parser.addHelpOption();
  QCommandLineOption screenshot_option(QStringLiteral("screenshot"),
                                       QStringLiteral("Render, save the window to FILE (PNG) and quit."),
                                       QStringLiteral("FILE"));
  QCommandLineOption device_option(QStringLiteral("device"),
                                   QStringLiteral("Use the Vulkan device at INDEX (default: the best one)."),
                                   QStringLiteral("INDEX"));
  QCommandLineOption page_option(QStringLiteral("page"),
                                 QStringLiteral("Open on PAGE: chat, models, train or settings."),
                                 QStringLiteral("PAGE"), QStringLiteral("models"));
  parser.addOptions({screenshot_option, device_option, page_option});
  parser.addPositionalArgument(QStringLiteral("model"),
                               QStringLiteral("A .gguf file to show on the Models page."),
                               QStringLiteral("[MODEL.gguf]"));
  parser.process(app);
  const QStringList pages = {QStringLiteral("chat"), QStringLiteral("models"), QStringLiteral("train"),
                             QStringLiteral("settings")};
  const qsizetype start_page = pages.indexOf(parser.value(page_option).toLower());
  if (start_page < 0) {
    std::fprintf(stderr, "lathe: --page must be one of %s\n", qPrintable(pages.join(QStringLiteral(", "))));
    return 2;
  }
  if (parser.positionalArguments().size() > 1) {
    std::fprintf(stderr, "lathe: give at most one model file\n");
    return 2;
  }
  QUrl model_file;
  if (!parser.positionalArguments().isEmpty()) {
    model_file = QUrl::fromLocalFile(QFileInfo(parser.positionalArguments().first()).absoluteFilePath());
  }
  std::optional<uint32_t> device_index;
  if (parser.isSet(device_option)) {
    bool ok = false;
    device_index = parser.value(device_option).toUInt(&ok);
    if (!ok) {
      std::fprintf(stderr, "lathe: --device needs a number, got '%s'\n",
                   qPrintable(parser.value(device_option)));
      return 2;
    }
  }
  const bool screenshot = parser.isSet(screenshot_option);

  const bool validation = lathe::vk::validation_requested();
  QVulkanInstance vulkan;  // outlives everything that uses it
  if (QString error = lathe::app::configure_qt_instance(vulkan, validation); !error.isEmpty()) {
    std::fprintf(stderr, "lathe: %s\n", qPrintable(error));
    return 1;
  }
  EngineVulkan engine;
  const bool qt_on_vulkan = vulkan.create();
  if (qt_on_vulkan) {
    QQuickWindow::setGraphicsApi(QSGRendererInterface::Vulkan);
    engine = lathe::app::start_engine_vulkan(vulkan, validation, device_index);
  } else {
    engine.error =
        QObject::tr("Vulkan is not available here (vkCreateInstance returned %1).").arg(vulkan.errorCode());
  }
  if (!engine.error.isEmpty()) std::fprintf(stderr, "lathe: %s\n", qPrintable(engine.error));

  QQuickStyle::setStyle(QStringLiteral("Material"));
  std::unique_ptr<DeviceReportModel> report = make_report_model(engine, qt_on_vulkan, validation);
  int exit_code = 0;
  {
    QQuickView view;
    if (qt_on_vulkan) view.setVulkanInstance(&vulkan);
    if (engine.device)
      view.setGraphicsDevice(QQuickGraphicsDevice::fromPhysicalDevice(engine.device->physical()));
    view.setTitle(QStringLiteral("Lathe"));
    view.setResizeMode(QQuickView::SizeRootObjectToView);
    view.setInitialProperties({{QStringLiteral("deviceReport"), QVariant::fromValue(report.get())},
                               {QStringLiteral("startPage"), int(start_page)},
                               {QStringLiteral("modelFile"), model_file}});
    view.setSource(QUrl(QStringLiteral("qrc:/Lathe/Main.qml")));
    if (view.status() != QQuickView::Ready) return 1;  // QQuickView has printed the QML errors
    view.resize(1200, 760);

    std::unique_ptr<lathe::app::ScreenshotTaker> taker;
    if (screenshot)
      taker = std::make_unique<lathe::app::ScreenshotTaker>(&view, parser.value(screenshot_option));
    view.show();
    exit_code = QGuiApplication::exec();
  }

  if (screenshot && engine.device) std::printf("engine device: %s\n", engine.device->report().name.c_str());
  engine.shut_down();
  if (screenshot) {
    if (engine.messages) {
      std::printf("validation messages: %llu\n", static_cast<unsigned long long>(engine.messages->count()));
    } else {
      std::printf("validation: off\n");
    }
  }
  return exit_code;
}
