#include "tests/http/process.hpp"

#include "tests/http/fixture.hpp"

using namespace gamelight;
using namespace gamelight::test;

TEST_CASE("a created integration survives kill -9 right after its 201") {
  temp_dir dir;
  auto data = "--data-dir=" + dir.path.string();
  std::vector<std::string> ids;
  {
    daemon_process daemon{{"--port=0", data}};
    auto port = daemon.wait_listening();
    REQUIRE(port);
    httplib::Client cli{"127.0.0.1", *port};
    for (int i = 0; i < 20; ++i) {
      auto res
          = cli.Post("/api/v1/game-integrations",
                     R"({"name": "rig )" + std::to_string(i) + R"(", "adapter_type": "generic"})",
                     "application/json");
      REQUIRE(res);
      REQUIRE_EQ(res->status, 201);
      ids.push_back(body_of(res)["id"]);
    }
    daemon.signal(SIGKILL);
    CHECK_EQ(daemon.wait(), 128 + SIGKILL);
  }
  daemon_process daemon{{"--port=0", data}};
  auto port = daemon.wait_listening();
  REQUIRE(port);
  httplib::Client cli{"127.0.0.1", *port};
  auto res = cli.Get("/api/v1/game-integrations");
  REQUIRE(res);
  auto listed = body_of(res);
  REQUIRE_EQ(listed["count"], 20);
  for (std::size_t i = 0; i < ids.size(); ++i)
    CHECK_EQ(listed["integrations"][i]["id"], ids[i]);
}

TEST_CASE("SIGTERM shuts the daemon down cleanly") {
  temp_dir dir;
  daemon_process daemon{{"--port=0", "--data-dir=" + dir.path.string()}};
  REQUIRE(daemon.wait_listening());
  daemon.signal(SIGTERM);
  CHECK_EQ(daemon.wait(), 0);
}

TEST_CASE("a non-loopback bind without an API key is refused") {
  temp_dir dir;
  daemon_process daemon{{"--bind=0.0.0.0", "--port=0", "--data-dir=" + dir.path.string()}};
  CHECK_EQ(daemon.wait(), 2);
  CHECK(daemon.read_all().find("refusing to listen on 0.0.0.0 without an API key")
        != std::string::npos);
}

TEST_CASE("a non-loopback bind with an API key from the environment starts") {
  temp_dir dir;
  daemon_process daemon{{"--bind=0.0.0.0", "--port=0", "--data-dir=" + dir.path.string()},
                        {"GAMELIGHT_API_KEY=key-from-env-123"}};
  auto port = daemon.wait_listening();
  REQUIRE(port);
  httplib::Client cli{"127.0.0.1", *port};
  auto res = cli.Get("/api/v1/game-integrations");
  REQUIRE(res);
  CHECK_EQ(res->status, 401);
  res = cli.Get("/api/v1/game-integrations", {{"X-API-Key", "key-from-env-123"}});
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
}

TEST_CASE("a second daemon on the same port fails to start") {
  temp_dir dir;
  daemon_process first{{"--port=0", "--data-dir=" + (dir.path / "a").string()}};
  auto port = first.wait_listening();
  REQUIRE(port);
  daemon_process second{
      {"--port=" + std::to_string(*port), "--data-dir=" + (dir.path / "b").string()}};
  CHECK_EQ(second.wait(), 1);
  CHECK(second.read_all().find("cannot listen on 127.0.0.1:" + std::to_string(*port))
        != std::string::npos);
}

TEST_CASE("--help lists every option and bad options are refused") {
  daemon_process help{{"--help"}};
  CHECK_EQ(help.wait(), 0);
  daemon_process bad{{"--port=banana"}};
  CHECK_EQ(bad.wait(), 2);
  CHECK(bad.read_all().find("port must be an integer between 0 and 65535") != std::string::npos);
  daemon_process key_flag{{"--api-key=abc"}};
  CHECK_EQ(key_flag.wait(), 2);
}
