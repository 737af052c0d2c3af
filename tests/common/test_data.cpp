#include "common/test_data.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace lathe::test {

std::filesystem::path data_path(const std::string& relative) {
  std::filesystem::path path = std::filesystem::path(LATHE_TEST_DATA_DIR) / relative;
  if (!std::filesystem::exists(path)) {
    ADD_FAILURE() << "test data missing: " << path
                  << " (configure with -DLATHE_TEST_DATA=<folder> to point at ../shared)";
  }
  return path;
}

std::filesystem::path binary_dir() { return LATHE_BINARY_DIR; }

std::filesystem::path temp_dir() {
  const testing::TestInfo* info = testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "lathe";
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("lathe-test-" + std::to_string(getpid())) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return {};
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace lathe::test
