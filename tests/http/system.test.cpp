#include "tests/http/fixture.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

using namespace gamelight;
using namespace gamelight::test;

namespace {

const char* json_type = "application/json";

std::string create_generic(httplib::Client& cli, const std::string& name) {
  auto res = cli.Post("/api/v1/game-integrations",
                      R"({"name": ")" + name + R"(", "adapter_type": "generic"})", json_type);
  REQUIRE(res);
  REQUIRE_EQ(res->status, 201);
  return body_of(res)["id"];
}

std::string names(httplib::Client& cli) {
  auto res = cli.Get("/api/v1/game-integrations");
  REQUIRE(res);
  std::string result;
  auto body = body_of(res);
  for (auto& x : body["integrations"])
    result += (result.empty() ? "" : "|") + x["name"].get<std::string>();
  return result;
}

std::string backup(httplib::Client& cli) {
  auto res = cli.Get("/api/v1/system/backup");
  REQUIRE(res);
  REQUIRE_EQ(res->status, 200);
  CHECK_EQ(res->get_header_value("Content-Type"), "application/vnd.sqlite3");
  auto disposition = res->get_header_value("Content-Disposition");
  CHECK(disposition.rfind("attachment; filename=\"gamelight-", 0) == 0);
  CHECK_EQ(res->body.substr(0, 16), std::string{"SQLite format 3\0", 16});
  return res->body;
}

httplib::Result restore(httplib::Client& cli, const std::string& bytes) {
  return cli.Post("/api/v1/system/restore", bytes, "application/vnd.sqlite3");
}

} // namespace

TEST_CASE("a backup restores the data it was taken from, live") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  create_generic(cli, "first");
  auto snapshot = backup(cli);
  create_generic(cli, "second");
  CHECK_EQ(names(cli), "first|second");
  auto res = restore(cli, snapshot);
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  CHECK_EQ(res->body, R"({"restored":true,"integrations":1,"devices":0})");
  CHECK_EQ(names(cli), "first");
}

TEST_CASE("a bad restore file is refused and nothing changes") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  create_generic(cli, "keep me");
  auto snapshot = backup(cli);
  auto refused = [&](const std::string& bytes) {
    auto res = restore(cli, bytes);
    REQUIRE(res);
    CHECK_EQ(res->status, 400);
    CHECK(body_of(res)["detail"].get<std::string>().rfind("invalid backup: ", 0) == 0);
    CHECK_EQ(names(cli), "keep me");
  };
  refused("this is not a database");
  refused(snapshot.substr(0, snapshot.size() / 2));
  refused("");
  // A backup from a newer daemon (schema version 99).
  temp_dir dir;
  auto path = (dir.path / "newer.db").string();
  {
    std::ofstream out{path, std::ios::binary};
    out << snapshot;
  }
  {
    SQLite::Database db{path, SQLite::OPEN_READWRITE};
    db.exec("PRAGMA user_version = 99");
  }
  std::ifstream in{path, std::ios::binary};
  std::stringstream newer;
  newer << in.rdbuf();
  refused(newer.str());
}

TEST_CASE("backup and restore need the API key") {
  daemon_fixture daemon{daemon_setup{"s3cret-key-123"}};
  auto cli = daemon.client();
  auto res = cli.Get("/api/v1/system/backup");
  REQUIRE(res);
  CHECK_EQ(res->status, 401);
  res = cli.Post("/api/v1/system/restore", "x", "application/octet-stream");
  REQUIRE(res);
  CHECK_EQ(res->status, 401);
}
