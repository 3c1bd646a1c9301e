#include "http/ui_assets.hpp"
#include "tests/http/fixture.hpp"

#include <algorithm>
#include <regex>
#include <set>

using namespace gamelight;
using namespace gamelight::test;

namespace {

/// Returns the bytes of a file of the source tree's `ui/` folder.
std::string ui_file(const std::string& name) {
  std::ifstream in{std::string{GAMELIGHT_UI_DIR} + "/" + name, std::ios::binary};
  REQUIRE_MESSAGE(in.good(), "missing ui file ", name);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// Checks the three headers every response of the dashboard carries.
void check_security_headers(const httplib::Result& res) {
  CHECK_EQ(res->get_header_value("Content-Security-Policy"), "default-src 'self'");
  CHECK_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
  CHECK_EQ(res->get_header_value("Referrer-Policy"), "no-referrer");
}

} // namespace

TEST_CASE("GET / answers the dashboard page with the security headers") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto res = cli.Get("/");
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  CHECK_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
  check_security_headers(res);
  CHECK_EQ(res->get_header_value("Cache-Control"), "no-cache");
  CHECK_EQ(res->get_header_value("ETag"), std::string{ui::find_asset("index.html")->etag});
  CHECK_EQ(res->body, ui_file("index.html"));
}

TEST_CASE("every file of ui/ is served under /ui/ with its content type") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  const std::vector<std::pair<std::string, std::string>> expected{
      {"app.js", "text/javascript; charset=utf-8"},
      {"devices.js", "text/javascript; charset=utf-8"},
      {"favicon.svg", "image/svg+xml"},
      {"index.html", "text/html; charset=utf-8"},
      {"integrations.js", "text/javascript; charset=utf-8"},
      {"lib.js", "text/javascript; charset=utf-8"},
      {"screens.js", "text/javascript; charset=utf-8"},
      {"style.css", "text/css; charset=utf-8"},
  };
  std::vector<std::string> embedded;
  for (auto& a : ui::assets())
    embedded.emplace_back(a.name);
  std::vector<std::string> on_disk;
  for (auto& entry : std::filesystem::directory_iterator{GAMELIGHT_UI_DIR})
    on_disk.push_back(entry.path().filename().string());
  std::sort(on_disk.begin(), on_disk.end());
  CHECK_EQ(embedded, on_disk);
  REQUIRE_EQ(embedded.size(), expected.size());
  for (auto& [name, type] : expected) {
    CAPTURE(name);
    auto res = cli.Get("/ui/" + name);
    REQUIRE(res);
    CHECK_EQ(res->status, 200);
    CHECK_EQ(res->get_header_value("Content-Type"), type);
    check_security_headers(res);
    CHECK_EQ(res->body, ui_file(name));
  }
}

TEST_CASE("the dashboard needs no API key even when one is configured") {
  daemon_setup setup;
  setup.api_key = "s3cret-key-123";
  daemon_fixture daemon{setup};
  auto cli = daemon.client();
  for (const char* path : {"/", "/ui/app.js", "/ui/style.css"}) {
    CAPTURE(path);
    auto res = cli.Get(path);
    REQUIRE(res);
    CHECK_EQ(res->status, 200);
  }
  // ... while the API behind it still does.
  auto res = cli.Get("/api/v1/game-integrations");
  REQUIRE(res);
  CHECK_EQ(res->status, 401);
}

TEST_CASE("an unknown dashboard file is a 404 like any unknown route") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  for (const char* path :
       {"/ui/nope.js", "/ui/", "/ui/sub/app.js", "/ui/..%2Fapp.js", "/index.html"}) {
    CAPTURE(path);
    auto res = cli.Get(path);
    REQUIRE(res);
    CHECK_EQ(res->status, 404);
    CHECK_EQ(res->get_header_value("Content-Type"), "application/json");
    CHECK_EQ(res->body, R"({"detail":"Not Found"})");
  }
  auto res = cli.Get("/ui/nope.js");
  REQUIRE(res);
  check_security_headers(res);
  res = cli.Post("/", "x", "text/plain");
  REQUIRE(res);
  CHECK_EQ(res->status, 405);
  CHECK_EQ(res->body, R"({"detail":"Method Not Allowed"})");
}

TEST_CASE("a browser's current copy is answered 304 without a body") {
  daemon_fixture daemon;
  auto cli = daemon.client();
  auto etag = std::string{ui::find_asset("app.js")->etag};
  REQUIRE_EQ(etag.size(), 18u);
  auto res = cli.Get("/ui/app.js", {{"If-None-Match", etag}});
  REQUIRE(res);
  CHECK_EQ(res->status, 304);
  CHECK_EQ(res->body, "");
  CHECK_EQ(res->get_header_value("ETag"), etag);
  check_security_headers(res);
  res = cli.Get("/ui/app.js", {{"If-None-Match", "\"0000000000000000\""}});
  REQUIRE(res);
  CHECK_EQ(res->status, 200);
  CHECK_EQ(res->body, ui_file("app.js"));
}

TEST_CASE("the dashboard has no inline script, style or handler the CSP would block") {
  // default-src 'self' refuses inline <script>, <style>, style="" and on...=""
  // attributes; a file that used one would break in the browser.
  std::regex inline_script{R"(<script(?![^>]*\bsrc=)[^>]*>)"};
  std::regex style_attribute{R"(\sstyle\s*=)"};
  std::regex handler_attribute{R"(<[^>]*\son[a-z]+\s*=)"};
  for (auto& a : ui::assets()) {
    CAPTURE(a.name);
    std::string text{a.body};
    if (a.name.ends_with(".html")) {
      CHECK_FALSE(std::regex_search(text, inline_script));
      CHECK(text.find("<style") == std::string::npos);
      CHECK_FALSE(std::regex_search(text, style_attribute));
      CHECK_FALSE(std::regex_search(text, handler_attribute));
    }
    if (a.name.ends_with(".js")) {
      CHECK(text.find("innerHTML") == std::string::npos);
      CHECK(text.find("setAttribute('style'") == std::string::npos);
      CHECK(text.find("eval(") == std::string::npos);
    }
  }
}
