# Folds the soak CSV (gamelight_gsi_load --csv) into a Markdown table, one row per
# `every` seconds (awk -v every=300 -f table.awk soak.csv): RSS, anonymous RSS and the
# allocator's bytes in use / held from the kernel at the block's end, mean
# daemon CPU, median of the windows' p50, worst window p99 and max, mean server-side
# ingest time, failed requests (non-200 + errors + timeouts), missed send slots,
# rejections + device send errors, answers per second and frames per second at the sinks.
BEGIN { FS = ","; if (!every) every = 300 }
NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
function v(name) { return (name in col) ? $col[name] : 0 }
function flush(   i, j, t, m) {
  if (!n) return
  # median of the p50s (insertion sort, n is small)
  for (i = 2; i <= n; i++) { t = p50[i]; for (j = i - 1; j >= 1 && p50[j] > t; j--) p50[j + 1] = p50[j]; p50[j + 1] = t }
  m = (n % 2) ? p50[(n + 1) / 2] : (p50[n / 2] + p50[n / 2 + 1]) / 2
  printf "| %d–%d | %.1f | %.1f | %.1f / %.1f | %.0f | %.2f | %.1f | %.1f | %.0f | %.0f | %d | %d | %d | %.0f | %.0f |\n",
    start / 60, end_t / 60, rss / 1024, anon / 1024, heap / 1024, mapped / 1024, cpu / n, m / 1000, p99 / 1000, mx / 1000, srv / n,
    load / n, failed, missed, bad, ok / (end_t - start), frames / (end_t - start)
  n = 0; cpu = 0; p99 = 0; mx = 0; srv = 0; load = 0; failed = 0; missed = 0; bad = 0; ok = 0; frames = 0
}
{
  if (!n) start = prev_t
  n++; p50[n] = v("p50_us"); cpu += v("cpu_pct"); rss = v("rss_kb"); anon = v("rss_anon_kb")
  heap = v("heap_in_use_kb"); mapped = v("heap_mapped_kb"); load += v("load1")
  if (v("p99_us") > p99) p99 = v("p99_us")
  if (v("max_us") > mx) mx = v("max_us")
  srv += v("server_mean_us")
  failed += v("non_200") + v("errors") + v("timeouts"); missed += v("missed")
  bad += v("metrics_rejected") + v("metrics_send_errors"); ok += v("ok"); frames += v("sink_frames")
  end_t = v("t_s"); prev_t = end_t
  if (int(end_t + 0.5) % every == 0) flush()
}
END {
  flush()
}
