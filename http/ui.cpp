#include "http/routes.hpp"
#include "http/ui_assets.hpp"

namespace gamelight::http {

namespace {

/// Adds the headers every response of the dashboard carries: no inline script or
/// style and nothing from another origin, no type sniffing, no Referer to anyone.
void add_security_headers(response& r) {
  r.set_header("Content-Security-Policy", "default-src 'self'");
  r.set_header("X-Content-Type-Options", "nosniff");
  r.set_header("Referrer-Policy", "no-referrer");
}

/// Answers one embedded file: 200, or 304 when the browser's copy is current.
/// `no-cache` makes the browser revalidate on every load, so a new daemon's UI shows
/// at once while an unchanged one costs a 304.
response serve(const ui::asset& file, const request& req) {
  response result;
  add_security_headers(result);
  result.set_header("Cache-Control", "no-cache");
  result.set_header("ETag", std::string{file.etag});
  if (auto tag = req.header("If-None-Match"); tag != nullptr && *tag == file.etag) {
    result.status = 304;
    return result;
  }
  result.set_content(std::string{file.body}, std::string{file.content_type});
  return result;
}

void index_page(const context&, exchange& x) {
  auto file = ui::find_asset("index.html");
  if (file == nullptr) {
    x.respond(problem_response(problems::not_found("Not Found")));
    return;
  }
  x.respond(serve(*file, x.req));
}

void asset_file(const context&, exchange& x) {
  auto file = ui::find_asset(x.params[0]);
  if (file == nullptr) {
    // The same answer as any unknown route, with the dashboard's headers.
    auto result = problem_response(problems::not_found("Not Found"));
    add_security_headers(result);
    x.respond(std::move(result));
    return;
  }
  x.respond(serve(*file, x.req));
}

} // namespace

void add_ui_routes(route_table& routes, const server_options&) {
  routes.add("GET", "/", open_endpoint(index_page));
  routes.add("GET", "/ui/{file}", open_endpoint(asset_file));
}

} // namespace gamelight::http
