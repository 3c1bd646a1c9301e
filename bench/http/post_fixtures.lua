-- wrk script: POSTs the CS2 fixture payloads in sequence (they carry their token).
-- Usage: wrk ... -s post_fixtures.lua URL -- <fixture dir> <path>
local bodies = {}
local path = "/"
local index = 0

function init(args)
  local dir = args[1]
  path = args[2]
  local names = {
    "cs2_01_freezetime_start", "cs2_02_round_live", "cs2_03_damage_taken_low_health",
    "cs2_04_kill_headshot", "cs2_05_flashed", "cs2_06_bomb_planted", "cs2_07_player_died",
    "cs2_08_dead_spectating_teammate", "cs2_09_bomb_defused_round_over_ct_win",
    "cs2_10_next_round_freezetime_self_again",
  }
  for _, name in ipairs(names) do
    local f = assert(io.open(dir .. "/" .. name .. ".json", "rb"))
    bodies[#bodies + 1] = f:read("*a")
    f:close()
  end
end

function request()
  index = index % #bodies + 1
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, bodies[index])
end

function done(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d non2xx=%d timeouts=%d rps=%.0f p50_us=%d p99_us=%d\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99)))
end
