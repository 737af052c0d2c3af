#pragma once
// Where tests find ../shared (LATHE_TEST_DATA) and the build's own outputs.

#include <filesystem>
#include <string>

namespace lathe::test {

// Absolute path of a file in the shared test data. Fails the current test when the file is missing,
// so a test never passes by not finding its data.
std::filesystem::path data_path(const std::string& relative);

// The build folder (where lathe-cli and the app are).
std::filesystem::path binary_dir();

// A fresh empty folder for the current test (under the system temp folder, emptied on each call).
std::filesystem::path temp_dir();

// Reads a whole file; fails the test when it cannot.
std::string read_file(const std::filesystem::path& path);

}  // namespace lathe::test
