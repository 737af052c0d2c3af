// Runs the real app binary under Xvfb with --screenshot and checks what came out: exit code 0, the
// Vulkan backend in use, no validation messages (Qt Quick's and the engine's), and a PNG of the
// window's size that is not one flat colour. Nothing here skips: a missing xvfb-run is a failure.
#include <gtest/gtest.h>

#include <QColor>
#include <QImage>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/run.h"
#include "common/test_data.h"
#include "gguf/value.h"
#include "gguf/writer.h"

namespace lathe::test {
namespace {

namespace fs = std::filesystem;

struct AppRun {
  CommandResult command;
  std::map<std::string, std::string> report;  // "key: value" lines of stdout
  QImage image;
};

bool on_path(const std::string& program) {
  std::istringstream path(std::getenv("PATH") != nullptr ? std::getenv("PATH") : "");
  for (std::string dir; std::getline(path, dir, ':');) {
    if (!dir.empty() && fs::exists(fs::path(dir) / program)) return true;
  }
  return false;
}

// Runs `lathe --screenshot <png> args...` on a fresh X server with validation on.
AppRun run_app(const fs::path& png, const std::vector<std::string>& args) {
  AppRun run;
  if (!on_path("xvfb-run")) {
    ADD_FAILURE() << "xvfb-run is not installed (Debian: apt-get install xvfb xauth)";
    return run;
  }
  std::string line =
      "LATHE_VK_VALIDATION=1 QT_QPA_PLATFORM=xcb timeout 300 xvfb-run -a -s '-screen 0 1600x1000x24' " +
      shell_quote(LATHE_APP_PATH) + " --screenshot " + shell_quote(png.string());
  for (const std::string& a : args) line += " " + shell_quote(a);
  run.command = run_command(line);
  std::istringstream out(run.command.out);
  for (std::string l; std::getline(out, l);) {
    if (size_t colon = l.find(": "); colon != std::string::npos)
      run.report[l.substr(0, colon)] = l.substr(colon + 2);
  }
  if (fs::exists(png)) run.image = QImage(QString::fromStdString(png.string()));
  return run;
}

// Everything every run must satisfy.
void expect_clean_vulkan_run(const AppRun& run) {
  const std::string output = "stdout:\n" + run.command.out + "\nstderr:\n" + run.command.err;
  ASSERT_EQ(run.command.exit_code, 0) << output;
  EXPECT_EQ(run.report.count("graphics api") ? run.report.at("graphics api") : "", "Vulkan") << output;
  ASSERT_TRUE(run.report.count("vulkan device")) << output;
  EXPECT_NE(run.report.at("vulkan device"), "none") << output;
  // Qt Quick renders on the device the engine computes on.
  EXPECT_EQ(run.report.count("engine device") ? run.report.at("engine device") : "",
            run.report.at("vulkan device"))
      << output;
  EXPECT_EQ(run.report.count("validation messages") ? run.report.at("validation messages") : "missing", "0")
      << output;

  ASSERT_FALSE(run.image.isNull()) << "no readable PNG was written\n" << output;
  ASSERT_TRUE(run.report.count("window size")) << output;
  std::string size = std::to_string(run.image.width()) + "x" + std::to_string(run.image.height());
  EXPECT_EQ(size, run.report.at("window size"));
  std::set<QRgb> colours;
  for (int y = 0; y < run.image.height(); y += 4) {
    for (int x = 0; x < run.image.width(); x += 4) colours.insert(run.image.pixel(x, y));
  }
  EXPECT_GT(colours.size(), 8u) << "the screenshot is (almost) one flat colour";
}

// The share of pixels that differ between two images of the same size.
double difference(const QImage& a, const QImage& b) {
  if (a.size() != b.size()) return 1.0;
  int64_t differ = 0;
  for (int y = 0; y < a.height(); ++y) {
    for (int x = 0; x < a.width(); ++x) differ += a.pixel(x, y) != b.pixel(x, y);
  }
  return static_cast<double>(differ) / (static_cast<double>(a.width()) * a.height());
}

TEST(App, RendersTheSettingsPageWithVulkan) {
  AppRun run = run_app(temp_dir() / "settings.png", {"--page", "settings"});
  expect_clean_vulkan_run(run);
}

TEST(App, ShowsAGgufFileOnTheModelsPage) {
  const fs::path dir = temp_dir();
  const fs::path model = dir / "gui-test.gguf";
  GgufWriter writer;
  writer.set("general.architecture", GgufValue::string("llama"));
  writer.set("general.name", GgufValue::string("GUI test model"));
  writer.set("llama.context_length", GgufValue::u32(256));
  std::vector<uint8_t> zeros(16 * 8 * sizeof(float), 0);
  ASSERT_TRUE(writer.add_tensor("token_embd.weight", {16, 8}, DType::F32, zeros).ok());
  auto written = writer.write(model);
  ASSERT_TRUE(written.ok()) << written.error().message;

  AppRun empty = run_app(dir / "models-empty.png", {"--page", "models"});
  expect_clean_vulkan_run(empty);
  AppRun loaded = run_app(dir / "models-loaded.png", {"--page", "models", model.string()});
  expect_clean_vulkan_run(loaded);
  // The file's summary (name, facts, metadata rows) fills much of the page that was empty.
  EXPECT_GT(difference(empty.image, loaded.image), 0.01);
}

}  // namespace
}  // namespace lathe::test
