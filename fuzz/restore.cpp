/// Fuzz target: the restore of an uploaded backup file into a fresh in-memory database
/// (header check, integrity and schema checks, row checks, migration and swap). A
/// restore that succeeds is read back through the normal listing calls.

#include "common/log.hpp"
#include "storage/database.hpp"

#include <string>

#include "fuzz/support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gamelight;
  static const bool quiet = [] {
    log::set_level(log::level::error);
    return true;
  }();
  static_cast<void>(quiet);
  auto db = storage::database::open(":memory:");
  if (!db)
    __builtin_trap();
  auto result = (*db)->restore(std::string{fuzz::as_text(data, size)});
  if (!result)
    return 0;
  auto integrations = (*db)->list_integrations();
  auto devices = (*db)->list_devices();
  // A restored database must be as servable as the file promised.
  if (!integrations || !devices || integrations->size() != result->integrations
      || devices->size() != result->devices)
    __builtin_trap();
  return 0;
}
