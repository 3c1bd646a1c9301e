#include "tests/validation/helpers.hpp"
#include "validation/validation.hpp"

#include <doctest/doctest.h>

using namespace gamelight;
using namespace gamelight::validation;
using gamelight::validation::test::has_error;
using gamelight::validation::test::j;

namespace {

json check(const json& value, const json& schema) {
  std::vector<field_error> errors;
  validate_schema(value, schema, j(R"(["body","adapter_config"])"), errors);
  auto list = json::array();
  for (const auto& e : errors) {
    CHECK_FALSE(e.msg.empty());
    list.push_back(json{{"loc", e.loc}, {"type", e.type}});
  }
  return list;
}

json one(const json& loc, std::string_view type) {
  return json::array({json{{"loc", loc}, {"type", type}}});
}

const json config_loc = j(R"(["body","adapter_config"])");

} // namespace

TEST_CASE("validate_schema: types are strict") {
  struct row {
    const char* type;
    const char* good;
    const char* bad;
    const char* error;
  };
  for (const auto& r : {
           row{"string", R"("x")", "5", "string_type"},
           row{"integer", "5", "5.0", "int_type"},
           row{"integer", "-5", "true", "int_type"},
           row{"integer", "0", R"("5")", "int_type"},
           row{"number", "5", "true", "float_type"},
           row{"number", "0.5", R"("0.5")", "float_type"},
           row{"boolean", "false", R"("true")", "bool_type"},
           row{"boolean", "true", "1", "bool_type"},
           row{"object", "{}", "[]", "dict_type"},
           row{"array", "[]", "{}", "list_type"},
           row{"null", "null", "0", "none_required"},
       }) {
    CAPTURE(r.type);
    CAPTURE(r.bad);
    json schema = json{{"type", r.type}};
    CHECK(check(j(r.good), schema) == json::array());
    CHECK(check(j(r.bad), schema) == one(config_loc, r.error));
  }
  // A list of types.
  json schema = j(R"({"type": ["string", "null"]})");
  CHECK(check(j("null"), schema).empty());
  CHECK(check(j(R"("x")"), schema).empty());
  CHECK(check(j("1"), schema) == one(config_loc, "string_type"));
}

TEST_CASE("validate_schema: objects") {
  json schema = j(R"({
    "type": "object",
    "properties": {
      "token": {"type": "string", "minLength": 8, "maxLength": 128, "writeOnly": true},
      "health_low_threshold": {"type": "integer", "minimum": 1, "maximum": 99, "default": 30}
    },
    "required": ["token"],
    "additionalProperties": false
  })");
  CHECK(check(j(R"({"token": "12345678"})"), schema).empty());
  CHECK(check(j(R"({"token": "12345678", "health_low_threshold": 99})"), schema).empty());
  CHECK(check(j("{}"), schema) == one(j(R"(["body","adapter_config","token"])"), "missing"));
  CHECK(check(j(R"({"token": "1234567"})"), schema)
        == one(j(R"(["body","adapter_config","token"])"), "string_too_short"));
  CHECK(check(json{{"token", std::string(129, 'x')}}, schema)
        == one(j(R"(["body","adapter_config","token"])"), "string_too_long"));
  CHECK(check(json{{"token", std::string(128, 'x')}}, schema).empty());
  CHECK(check(j(R"({"token": "12345678", "health_low_threshold": 0})"), schema)
        == one(j(R"(["body","adapter_config","health_low_threshold"])"), "greater_than_equal"));
  CHECK(check(j(R"({"token": "12345678", "health_low_threshold": 100})"), schema)
        == one(j(R"(["body","adapter_config","health_low_threshold"])"), "less_than_equal"));
  CHECK(check(j(R"({"token": "12345678", "health_low_threshold": 30.0})"), schema)
        == one(j(R"(["body","adapter_config","health_low_threshold"])"), "int_type"));
  CHECK(check(j(R"({"token": "12345678", "extra": 1})"), schema)
        == one(j(R"(["body","adapter_config","extra"])"), "extra_forbidden"));
  // Every failure at once: fields in schema order, then unknown keys in body order.
  auto all = check(j(R"({"zz": 1, "health_low_threshold": "5", "aa": 2})"), schema);
  CHECK(all == j(R"([
    {"loc": ["body","adapter_config","token"], "type": "missing"},
    {"loc": ["body","adapter_config","health_low_threshold"], "type": "int_type"},
    {"loc": ["body","adapter_config","zz"], "type": "extra_forbidden"},
    {"loc": ["body","adapter_config","aa"], "type": "extra_forbidden"}
  ])"));
  // Without additionalProperties, unknown keys are allowed; a schema for them applies.
  CHECK(check(j(R"({"x": 1})"), j(R"({"type": "object"})")).empty());
  CHECK(check(j(R"({"x": "1"})"), j(R"({"type": "object", "additionalProperties": {"type":
        "integer"}})"))
        == one(j(R"(["body","adapter_config","x"])"), "int_type"));
}

TEST_CASE("validate_schema: lengths count code points") {
  json schema = j(R"({"type": "string", "minLength": 2, "maxLength": 3})");
  CHECK(check(json("\xc3\xa9\xc3\xa9\xc3\xa9"), schema).empty()); // 3 code points, 6 bytes
  CHECK(check(json("\xf0\x9f\x98\x80"), schema) == one(config_loc, "string_too_short"));
  CHECK(check(json("abcd"), schema) == one(config_loc, "string_too_long"));
}

TEST_CASE("validate_schema: enum, numbers") {
  json schema = j(R"({"enum": ["a", "b", 3]})");
  CHECK(check(j(R"("a")"), schema).empty());
  CHECK(check(j("3"), schema).empty());
  CHECK(check(j("3.0"), schema) == one(config_loc, "enum"));
  CHECK(check(j(R"("c")"), schema) == one(config_loc, "enum"));
  json number = j(R"({"type": "number", "minimum": 0.0, "maximum": 1.0})");
  CHECK(check(j("0"), number).empty());
  CHECK(check(j("1"), number).empty());
  CHECK(check(j("0.5"), number).empty());
  CHECK(check(j("1.01"), number) == one(config_loc, "less_than_equal"));
  CHECK(check(j("-0.01"), number) == one(config_loc, "greater_than_equal"));
  json exclusive = j(R"({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1})");
  CHECK(check(j("0"), exclusive) == one(config_loc, "greater_than"));
  CHECK(check(j("1"), exclusive) == one(config_loc, "less_than"));
  CHECK(check(j("0.5"), exclusive).empty());
  // Messages name the bound as written.
  std::vector<field_error> errors;
  validate_schema(j("-1"), j(R"({"type": "integer", "minimum": 1})"), j(R"(["body"])"), errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].msg == "Input should be greater than or equal to 1");
}

TEST_CASE("validate_schema: arrays, items, pattern, uniqueItems") {
  json schema = j(R"({
    "type": "array",
    "items": {"type": "string", "pattern": "^[a-z0-9_.-]{1,64}$"},
    "uniqueItems": true, "maxItems": 3, "minItems": 1
  })");
  CHECK(check(j(R"(["boss_defeated", "level.up"])"), schema).empty());
  CHECK(check(j(R"(["ok", "Not OK", 5])"), schema) == j(R"([
    {"loc": ["body","adapter_config",1], "type": "string_pattern_mismatch"},
    {"loc": ["body","adapter_config",2], "type": "string_type"}
  ])"));
  CHECK(check(j(R"(["a", "b", "a"])"), schema)
        == one(j(R"(["body","adapter_config",2])"), "value_error"));
  CHECK(check(j(R"(["a", "b", "c", "d"])"), schema) == one(config_loc, "too_long"));
  CHECK(check(j(R"([])"), schema) == one(config_loc, "too_short"));
  // Patterns are searched, not anchored.
  CHECK(check(j(R"("xxabcxx")"), j(R"({"type": "string", "pattern": "abc"})")).empty());
}

TEST_CASE("validate_schema: nested locs and odd schemas") {
  json schema = j(R"({"type": "object", "properties": {"a": {"type": "object", "properties":
    {"b": {"type": "array", "items": {"type": "integer", "maximum": 5}}}}}})");
  CHECK(check(j(R"({"a": {"b": [1, 9]}})"), schema)
        == one(j(R"(["body","adapter_config","a","b",1])"), "less_than_equal"));
  // `true`, an empty schema and a broken pattern constrain nothing.
  CHECK(check(j("5"), json(true)).empty());
  CHECK(check(j("5"), json::object()).empty());
  CHECK(check(j(R"("x")"), j(R"({"type": "string", "pattern": "(["})")).empty());
  CHECK(has_error(check(j("1"), j(R"({"type": "string"})")), config_loc, "string_type"));
}
