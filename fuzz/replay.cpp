/// A replacement for libFuzzer's driver in normal builds: feeds every file of the given
/// directories (or the given files) to `LLVMFuzzerTestOneInput` once, in name order, so
/// ctest replays the committed corpus. Fails when it found no input at all.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::vector<fs::path> inputs;
  for (int i = 1; i < argc; ++i) {
    fs::path arg{argv[i]};
    if (fs::is_directory(arg)) {
      for (const auto& entry : fs::directory_iterator{arg})
        if (entry.is_regular_file())
          inputs.push_back(entry.path());
    } else {
      inputs.push_back(arg);
    }
  }
  std::sort(inputs.begin(), inputs.end());
  if (inputs.empty()) {
    std::cerr << "no inputs\n";
    return 1;
  }
  for (const auto& path : inputs) {
    std::ifstream in{path, std::ios::binary};
    if (!in) {
      std::cerr << "cannot read " << path << '\n';
      return 1;
    }
    std::vector<char> bytes{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
    // An exact-size heap copy, so AddressSanitizer sees reads past the end.
    auto copy = std::make_unique<std::uint8_t[]>(bytes.empty() ? 1 : bytes.size());
    std::copy(bytes.begin(), bytes.end(), copy.get());
    LLVMFuzzerTestOneInput(copy.get(), bytes.size());
  }
  std::cout << "replayed " << inputs.size() << " input(s)\n";
  return 0;
}
