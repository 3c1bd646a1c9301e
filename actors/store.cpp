#include "actors/store.hpp"

#include "common/log.hpp"
#include "validation/validation.hpp"

namespace gamelight {

namespace {

using self_pointer = store_actor::stateful_pointer<store_state>;

/// Converts a storage or validation outcome into the JSON answer of an HTTP call.
template <class T, class F>
outcome<json> to_reply(const outcome<T>& x, F&& render) {
  if (!x)
    return x.error();
  return render(*x);
}

json list_body(const char* key, json items) {
  json result = json::object();
  auto count = items.size();
  result[key] = std::move(items);
  result["count"] = count;
  return result;
}

/// Answers a write after the registry has applied what the store told it: the answer
/// travels through the registry, behind those messages. A client that hears of its
/// write therefore finds it in effect, payload routing by the directory included.
caf::result<outcome<json>> answer_after_registry(self_pointer self, outcome<json> result) {
  return self->delegate(self->state.registry, atom::ack::value, std::move(result));
}

/// Loads everything and replaces the registry's view of it.
bool reset_registry(self_pointer self) {
  auto& st = self->state;
  auto integrations = st.db->list_integrations();
  auto devices = st.db->list_devices();
  if (!integrations || !devices) {
    log::error("store failed to load the configuration: ",
               (!integrations ? integrations.error() : devices.error()).detail.dump());
    return false;
  }
  self->send(st.registry, atom::reset::value, std::move(*integrations), std::move(*devices));
  return true;
}

} // namespace

store_actor::behavior_type store(self_pointer self, std::shared_ptr<storage::database> db,
                                 registry_actor registry) {
  self->state.db = std::move(db);
  self->state.registry = std::move(registry);
  reset_registry(self);
  return {
      [self](atom::list, atom::integ, const integration_query& query) {
        storage::integration_filter filter{query.adapter_type, query.tag, query.enabled};
        auto found = self->state.db->list_integrations(filter);
        return to_reply(found, [](const std::vector<integration>& xs) {
          json items = json::array();
          for (auto& x : xs)
            items.push_back(validation::to_json(x));
          return list_body("integrations", std::move(items));
        });
      },
      [self](atom::get, atom::integ, const std::string& id) {
        auto found = self->state.db->get_integration(id);
        return to_reply(found, [](const integration& x) { return validation::to_json(x); });
      },
      [self](atom::setup, const std::string& id) { return self->state.db->get_integration(id); },
      [self](atom::create, atom::integ, const shared_json& body) -> caf::result<outcome<json>> {
        auto candidate = validation::integration_from_create(*body);
        if (!candidate) {
          return outcome<json>{candidate.error()};
        }
        auto stored = self->state.db->insert_integration(std::move(*candidate));
        if (stored)
          self->send(self->state.registry, atom::upsert::value, *stored);
        return answer_after_registry(
            self, to_reply(stored, [](const integration& x) { return validation::to_json(x); }));
      },
      [self](atom::update, atom::integ, const std::string& id,
             const shared_json& body) -> caf::result<outcome<json>> {
        auto& db = *self->state.db;
        auto current = db.get_integration(id);
        if (!current) {
          return outcome<json>{current.error()};
        }
        auto candidate = validation::integration_from_update(*current, *body);
        if (!candidate) {
          return outcome<json>{candidate.error()};
        }
        auto stored = db.update_integration(std::move(*candidate));
        if (stored)
          self->send(self->state.registry, atom::upsert::value, *stored);
        return answer_after_registry(
            self, to_reply(stored, [](const integration& x) { return validation::to_json(x); }));
      },
      [self](atom::erase, atom::integ, const std::string& id) -> caf::result<outcome<json>> {
        auto removed = self->state.db->remove_integration(id);
        if (removed)
          self->send(self->state.registry, atom::erase::value, id);
        return answer_after_registry(self,
                                     to_reply(removed, [](const done&) { return json(nullptr); }));
      },
      [self](atom::list, atom::dev) {
        auto found = self->state.db->list_devices();
        return to_reply(found, [](const std::vector<device>& xs) {
          json items = json::array();
          for (auto& x : xs)
            items.push_back(validation::to_json(x));
          return list_body("devices", std::move(items));
        });
      },
      [self](atom::get, atom::dev, const std::string& id) {
        auto found = self->state.db->get_device(id);
        return to_reply(found, [](const device& x) { return validation::to_json(x); });
      },
      [self](atom::create, atom::dev, const shared_json& body) -> caf::result<outcome<json>> {
        auto candidate = validation::device_from_create(*body);
        if (!candidate) {
          return outcome<json>{candidate.error()};
        }
        auto stored = self->state.db->insert_device(std::move(*candidate));
        if (stored)
          self->send(self->state.registry, atom::upsert::value, *stored);
        return answer_after_registry(
            self, to_reply(stored, [](const device& x) { return validation::to_json(x); }));
      },
      [self](atom::update, atom::dev, const std::string& id,
             const shared_json& body) -> caf::result<outcome<json>> {
        auto& db = *self->state.db;
        auto current = db.get_device(id);
        if (!current) {
          return outcome<json>{current.error()};
        }
        auto candidate = validation::device_from_update(*current, *body);
        if (!candidate) {
          return outcome<json>{candidate.error()};
        }
        auto stored = db.update_device(std::move(*candidate));
        if (stored)
          self->send(self->state.registry, atom::upsert::value, *stored);
        return answer_after_registry(
            self, to_reply(stored, [](const device& x) { return validation::to_json(x); }));
      },
      [self](atom::erase, atom::dev, const std::string& id) -> caf::result<outcome<json>> {
        auto removed = self->state.db->remove_device(id);
        if (removed)
          self->send(self->state.registry, atom::erase::value, id);
        return answer_after_registry(self,
                                     to_reply(removed, [](const done&) { return json(nullptr); }));
      },
      [self](atom::backup) { return self->state.db->backup(); },
      [self](atom::restore,
             const std::shared_ptr<const std::string>& bytes) -> caf::result<outcome<json>> {
        auto counts = self->state.db->restore(*bytes);
        if (!counts) {
          return outcome<json>{counts.error()};
        }
        reset_registry(self);
        json body = json::object();
        body["restored"] = true;
        body["integrations"] = counts->integrations;
        body["devices"] = counts->devices;
        log::info("store restored a backup with ", counts->integrations, " integration(s) and ",
                  counts->devices, " device(s)");
        return answer_after_registry(self, outcome<json>{std::move(body)});
      },
  };
}

} // namespace gamelight
