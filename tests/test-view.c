/* test-view.c: what the tray says, built from snapshots of the fixtures */
#include "config.h"

#include <locale.h>
#include <string.h>

#include <gio/gio.h>

#include "mq-error.h"
#include "mq-format.h"
#include "mq-history.h"
#include "mq-view.h"

#define MINUTE_MS G_GINT64_CONSTANT (60000)
#define HOUR_MS   (60 * MINUTE_MS)

/* Each fixture is read 2 h 30 m into its text window (TZ is UTC). */
#define TOKEN_PLAN_NOW G_GINT64_CONSTANT (1780857000000)   /* 2026-06-07 18:30 */
#define LEGACY_NOW     G_GINT64_CONSTANT (1774326600000)   /* 2026-03-24 04:30 */
#define BOOST_NOW      G_GINT64_CONSTANT (1780356600000)   /* 2026-06-01 23:30 */
#define EXHAUSTED_NOW  G_GINT64_CONSTANT (1782052200000)   /* 2026-06-21 14:30 */
#define CURRENT_NOW    G_GINT64_CONSTANT (1785173400000)   /* 2026-07-27 17:30 */

static MqSnapshot *
load_fixture (const char *name,
              gint64      now_ms)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  MqSnapshot *snapshot;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  snapshot = mq_snapshot_parse (contents, length, now_ms, MQ_REGION_GLOBAL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  return snapshot;
}

static MqSnapshot *
parse_rows (const char *rows,
            gint64      now_ms)
{
  g_autofree char *json = g_strdup_printf (
      "{\"model_remains\":[%s],\"base_resp\":{\"status_code\":0,\"status_msg\":\"success\"}}",
      rows);
  g_autoptr(GError) error = NULL;
  MqSnapshot *snapshot;

  snapshot = mq_snapshot_parse (json, strlen (json), now_ms, MQ_REGION_GLOBAL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  return snapshot;
}

static MqViewInput
input_for (MqSnapshot *snapshot,
           gint64      now_ms)
{
  MqViewInput input = { 0 };

  input.snapshot = snapshot;
  input.has_key = TRUE;
  input.now_ms = now_ms;
  input.last_success_ms = snapshot != NULL ? now_ms : 0;
  input.thresholds.low = MQ_THRESHOLD_LOW_DEFAULT;
  input.thresholds.critical = MQ_THRESHOLD_CRITICAL_DEFAULT;
  input.region = MQ_REGION_GLOBAL;
  return input;
}

static const MqViewRow *
find_row (const MqView *view,
          const char   *id)
{
  for (guint i = 0; i < mq_view_get_n_rows (view); i++)
    {
      const MqViewRow *row = mq_view_get_row (view, i);

      if (g_str_equal (row->id, id))
        return row;
    }
  return NULL;
}

static const MqViewRow *
require_row (const MqView *view,
             const char   *id)
{
  const MqViewRow *row = find_row (view, id);

  if (row == NULL)
    g_error ("no row %s", id);
  return row;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  g_assert_nonnull (haystack);
  if (strstr (haystack, needle) == NULL)
    g_error ("\"%s\" does not contain \"%s\"", haystack, needle);
}

static void
assert_lacks (const char *haystack,
              const char *needle)
{
  g_assert_nonnull (haystack);
  if (strstr (haystack, needle) != NULL)
    g_error ("\"%s\" contains \"%s\"", haystack, needle);
}

/* ---------------- the headline ---------------- */

static void
test_token_plan_headline (void)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("token-plan-plus-video-not-in-plan.json",
                                                 TOKEN_PLAN_NOW);
  MqViewInput input = input_for (snapshot, TOKEN_PLAN_NOW);
  g_autoptr(MqView) view = mq_view_build (&input);
  const MqIconSpec *icon = mq_view_get_icon (view);

  g_assert_cmpstr (mq_view_get_title (view), ==,
                   "63% of the 5-hour window left · resets 21:00");
  g_assert_cmpstr (mq_view_get_header (view), ==, "63% of the 5-hour window left");
  g_assert_cmpstr (mq_view_get_header_detail (view), ==, "Resets in 2h 30m (21:00)");
  g_assert_cmpstr (mq_view_get_label (view), ==, "63%");
  g_assert_cmpstr (mq_view_get_label_guide (view), ==, "100%");
  g_assert_cmpstr (mq_view_get_icon_description (view), ==, "63% left");
  g_assert_cmpstr (mq_view_get_status (view), ==, "Updated 18:30");

  g_assert_cmpint (icon->kind, ==, MQ_ICON_PERCENT);
  g_assert_cmpint (icon->percent, ==, 63);
  g_assert_cmpint (icon->state, ==, MQ_STATE_OK);
  g_assert_false (icon->stale);
  g_assert_false (mq_view_get_show_set_key (view));
}

static void
test_token_plan_rows (void)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("token-plan-plus-video-not-in-plan.json",
                                                 TOKEN_PLAN_NOW);
  MqViewInput input = input_for (snapshot, TOKEN_PLAN_NOW);
  g_autoptr(MqView) view = mq_view_build (&input);
  const MqViewRow *general, *weekly;

  /* general, its weekly cap, video; in the response's order. */
  g_assert_cmpuint (mq_view_get_n_rows (view), ==, 3);
  g_assert_cmpstr (mq_view_get_row (view, 0)->id, ==, "model:general");
  g_assert_cmpstr (mq_view_get_row (view, 1)->id, ==, "model:general:weekly");
  g_assert_cmpstr (mq_view_get_row (view, 2)->id, ==, "model:video");

  /* Short lines (issue 10: the menu under ~420 px): the counts on a
   * second, indented line, the reset by the clock. */
  general = require_row (view, "model:general");
  g_assert_cmpuint (general->level, ==, 0);
  g_assert_false (general->not_in_plan);
  g_assert_cmpint (general->state, ==, MQ_STATE_OK);
  g_assert_cmpstr (general->text, ==, "Text models (5-hour): 63% left · resets 21:00");

  g_assert_cmpstr (general->detail, ==, "945/1,500 left");

  weekly = require_row (view, "model:general:weekly");
  g_assert_cmpuint (weekly->level, ==, 1);
  /* The reset by the clock, as the row above (issue 10: with a countdown
   * too this was the widest row of the menu on GNOME). */
  g_assert_cmpstr (weekly->text, ==, "Weekly cap: 96% left · resets Sun 16:00");
  g_assert_cmpstr (weekly->detail, ==, "14,400/15,000 left");
  g_assert_cmpuint (mq_format_display_width (general->text), <=, MQ_VIEW_ROW_COLUMNS);
  g_assert_cmpuint (mq_format_display_width (weekly->text) + weekly->level, <=,
                    MQ_VIEW_WEEKLY_COLUMNS);
  g_assert_null (require_row (view, "model:video")->detail);
}

static void
test_not_in_plan_row (void)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("token-plan-plus-video-not-in-plan.json",
                                                 TOKEN_PLAN_NOW);
  MqViewInput input = input_for (snapshot, TOKEN_PLAN_NOW);
  g_autoptr(MqView) view = mq_view_build (&input);
  const MqViewRow *video = require_row (view, "model:video");

  g_assert_cmpstr (video->text, ==, "Video — not in your plan");
  g_assert_true (video->not_in_plan);
  g_assert_null (strchr (video->text, '%'));
  g_assert_null (find_row (view, "model:video:weekly"));
  g_assert_true (mq_view_get_show_upgrade (view));
}

static void
test_headline_model_not_in_plan (void)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("token-plan-plus-video-not-in-plan.json",
                                                 TOKEN_PLAN_NOW);
  MqViewInput input = input_for (snapshot, TOKEN_PLAN_NOW);
  g_autoptr(MqView) view = NULL;

  input.icon_model = "video";
  view = mq_view_build (&input);

  /* Never 100%: the icon has no number and the header says why. */
  g_assert_cmpint (mq_view_get_icon (view)->kind, ==, MQ_ICON_UNKNOWN);
  g_assert_cmpstr (mq_view_get_header (view), ==, "Video — not in your plan");
  g_assert_cmpstr (mq_view_get_label (view), ==, "");
  g_assert_null (strchr (mq_view_get_title (view), '%'));
  g_assert_true (mq_view_get_show_upgrade (view));
}

static void
test_other_lane_headline (void)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("current-percent-plan.json", CURRENT_NOW);
  MqViewInput input = input_for (snapshot, CURRENT_NOW);
  g_autoptr(MqView) view = NULL;

  input.icon_model = "video";
  view = mq_view_build (&input);

  g_assert_cmpstr (mq_view_get_header (view), ==, "Video: 100% of the daily quota left");
  g_assert_cmpint (mq_view_get_icon (view)->kind, ==, MQ_ICON_PERCENT);
  g_assert_cmpint (mq_view_get_icon (view)->percent, ==, 100);
  g_assert_cmpstr (mq_view_get_label (view), ==, "100%");
  assert_contains (require_row (view, "model:video")->text, "Video (daily): 100% left");
  g_assert_cmpstr (require_row (view, "model:video")->detail, ==, "3/3 left");
  g_assert_false (mq_view_get_show_upgrade (view));
}

static void
test_legacy_counts (void)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("legacy-counts-cn.json", LEGACY_NOW);
  MqViewInput input = input_for (snapshot, LEGACY_NOW);
  g_autoptr(MqView) view = NULL;
  const MqViewRow *text, *weekly, *speech;

  input.region = MQ_REGION_CN;
  view = mq_view_build (&input);

  text = require_row (view, "model:MiniMax-M*");
  assert_contains (text->detail, "4,286/4,500");
  assert_contains (text->text, "95% left");
  assert_contains (text->text, "resets 07:00");

  weekly = require_row (view, "model:MiniMax-M*:weekly");
  g_assert_cmpstr (weekly->text, ==, "Weekly cap: unlimited");
  g_assert_cmpint (weekly->state, ==, MQ_STATE_OK);

  speech = require_row (view, "model:speech-hd");
  assert_contains (speech->text, "100% left");
  assert_contains (speech->detail, "19,000/19,000");
  require_row (view, "model:speech-hd:weekly");
  require_row (view, "model:image-01");
  require_row (view, "model:music-2.5");

  g_assert_cmpstr (mq_view_get_header (view), ==, "95% of the 5-hour window left");
  g_assert_cmpint (mq_view_get_icon (view)->percent, ==, 95);
  g_assert_false (mq_view_get_show_upgrade (view));
}

static void
test_boost (void)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("plus-boost-not-in-plan.json", BOOST_NOW);
  MqViewInput input = input_for (snapshot, BOOST_NOW);
  g_autoptr(MqView) view = mq_view_build (&input);
  const MqViewRow *general = require_row (view, "model:general");

  assert_contains (general->text, "99% left");
  assert_contains (general->text, "×2 boost");
  g_assert_cmpstr (require_row (view, "model:general:weekly")->text, ==,
                   "Weekly cap: unlimited");
  g_assert_true (require_row (view, "model:video")->not_in_plan);
  g_assert_true (mq_view_get_show_upgrade (view));
  g_assert_cmpint (mq_view_get_icon (view)->percent, ==, 99);
  g_assert_cmpstr (mq_view_get_label (view), ==, "99%");
}

static void
test_exhausted (void)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("exhausted-interval.json", EXHAUSTED_NOW);
  MqViewInput input = input_for (snapshot, EXHAUSTED_NOW);
  g_autoptr(MqView) view = mq_view_build (&input);
  const MqIconSpec *icon = mq_view_get_icon (view);

  g_assert_cmpint (icon->kind, ==, MQ_ICON_PERCENT);
  g_assert_cmpint (icon->percent, ==, 0);
  g_assert_cmpint (icon->state, ==, MQ_STATE_EXHAUSTED);
  g_assert_cmpstr (mq_view_get_header (view), ==, "The 5-hour window is used up");
  g_assert_cmpstr (mq_view_get_title (view), ==,
                   "The 5-hour window is used up · resets 16:00");
  g_assert_cmpstr (mq_view_get_header_detail (view), ==, "Resets in 1h 30m (16:00)");
  g_assert_cmpstr (mq_view_get_label (view), ==, "0%");
  g_assert_cmpstr (mq_view_get_icon_description (view), ==, "Used up");
  assert_contains (require_row (view, "model:general")->text, "used up");
  g_assert_cmpint (require_row (view, "model:general")->state, ==, MQ_STATE_EXHAUSTED);
}

static void
test_weekly_binds (void)
{
  /* 5-hour window 80% left, weekly cap 12% left: the week binds. */
  g_autoptr(MqSnapshot) snapshot = parse_rows (
      "{\"model_name\":\"general\",\"start_time\":1780848000000,\"end_time\":1780866000000,"
      "\"current_interval_total_count\":0,\"current_weekly_total_count\":0,"
      "\"current_interval_status\":1,\"current_weekly_status\":1,"
      "\"current_interval_remaining_percent\":80,\"current_weekly_remaining_percent\":12,"
      "\"weekly_start_time\":1780848000000,\"weekly_end_time\":1781452800000}",
      TOKEN_PLAN_NOW);
  MqViewInput input = input_for (snapshot, TOKEN_PLAN_NOW);
  g_autoptr(MqView) view = mq_view_build (&input);
  const MqIconSpec *icon = mq_view_get_icon (view);

  g_assert_cmpstr (mq_view_get_header (view), ==, "12% of the weekly cap left");
  assert_contains (mq_view_get_header_detail (view), "weekly cap is the tighter limit");
  assert_contains (mq_view_get_header_detail (view), "6d");
  assert_contains (mq_view_get_title (view), "12% of the weekly cap left · resets ");
  g_assert_cmpint (icon->percent, ==, 12);
  g_assert_cmpint (icon->state, ==, MQ_STATE_LOW);
  g_assert_cmpstr (mq_view_get_label (view), ==, "12%");
  g_assert_cmpint (require_row (view, "model:general:weekly")->state, ==, MQ_STATE_LOW);
  g_assert_cmpint (require_row (view, "model:general")->state, ==, MQ_STATE_OK);
}

static void
test_icon_percent_rounding (void)
{
  struct { const char *percent; int icon; const char *label; MqState state; } cases[] = {
    { "0.4", 1, "<1%", MQ_STATE_CRITICAL },
    { "63.9", 63, "63%", MQ_STATE_OK },
    { "5", 5, "5%", MQ_STATE_CRITICAL },
    { "20", 20, "20%", MQ_STATE_LOW },
    { "100", 100, "100%", MQ_STATE_OK },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *row = g_strdup_printf (
          "{\"model_name\":\"general\",\"start_time\":1780848000000,"
          "\"end_time\":1780866000000,\"current_interval_status\":1,"
          "\"current_interval_remaining_percent\":%s}", cases[i].percent);
      g_autoptr(MqSnapshot) snapshot = parse_rows (row, TOKEN_PLAN_NOW);
      MqViewInput input = input_for (snapshot, TOKEN_PLAN_NOW);
      g_autoptr(MqView) view = mq_view_build (&input);

      g_assert_cmpint (mq_view_get_icon (view)->kind, ==, MQ_ICON_PERCENT);
      g_assert_cmpint (mq_view_get_icon (view)->percent, ==, cases[i].icon);
      g_assert_cmpint (mq_view_get_icon (view)->state, ==, cases[i].state);
      g_assert_cmpstr (mq_view_get_label (view), ==, cases[i].label);
    }
}

static void
test_unlimited (void)
{
  /* Both windows without a limit (status 3) but real totals: in the plan. */
  g_autoptr(MqSnapshot) snapshot = parse_rows (
      "{\"model_name\":\"general\",\"current_interval_total_count\":1500,"
      "\"current_weekly_total_count\":15000,\"current_interval_status\":3,"
      "\"current_weekly_status\":3}",
      TOKEN_PLAN_NOW);
  MqViewInput input = input_for (snapshot, TOKEN_PLAN_NOW);
  g_autoptr(MqView) view = mq_view_build (&input);

  g_assert_cmpint (mq_view_get_icon (view)->kind, ==, MQ_ICON_UNLIMITED);
  g_assert_cmpstr (mq_view_get_label (view), ==, "∞");
  g_assert_cmpstr (mq_view_get_header (view), ==, "Text models: unlimited");
  g_assert_cmpstr (require_row (view, "model:general")->text, ==, "Text models: unlimited");
  g_assert_null (mq_view_get_header_detail (view));
}

/* ---------------- no key, errors, staleness ---------------- */

static void
test_no_key (void)
{
  MqViewInput input = input_for (NULL, TOKEN_PLAN_NOW);
  g_autoptr(MqView) view = NULL;

  input.has_key = FALSE;
  view = mq_view_build (&input);

  g_assert_cmpint (mq_view_get_icon (view)->kind, ==, MQ_ICON_NO_KEY);
  g_assert_true (mq_view_get_show_set_key (view));
  g_assert_false (mq_view_get_show_upgrade (view));
  g_assert_cmpstr (mq_view_get_label (view), ==, "");
  g_assert_cmpuint (mq_view_get_n_rows (view), ==, 0);
  assert_contains (mq_view_get_header (view), "No API key");
  assert_contains (mq_view_get_title (view), "no API key");
}

static void
test_no_key_hides_old_data (void)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("token-plan-plus-video-not-in-plan.json",
                                                 TOKEN_PLAN_NOW);
  MqViewInput input = input_for (snapshot, TOKEN_PLAN_NOW);
  g_autoptr(MqView) view = NULL;

  input.has_key = FALSE;
  view = mq_view_build (&input);

  g_assert_cmpint (mq_view_get_icon (view)->kind, ==, MQ_ICON_NO_KEY);
  g_assert_false (mq_view_get_icon (view)->stale);
  g_assert_cmpuint (mq_view_get_n_rows (view), ==, 0);
  g_assert_null (strchr (mq_view_get_title (view), '%'));
  g_assert_true (mq_view_get_show_set_key (view));
}

static void
test_error_with_snapshot_is_stale (void)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("token-plan-plus-video-not-in-plan.json",
                                                 TOKEN_PLAN_NOW);
  g_autoptr(GError) error = g_error_new_literal (MQ_ERROR, MQ_ERROR_NETWORK,
                                                 "Cannot reach MiniMax.");
  MqViewInput input = input_for (snapshot, TOKEN_PLAN_NOW + 32 * MINUTE_MS);
  g_autoptr(MqView) view = NULL;
  const MqIconSpec *icon;

  input.error = error;
  input.last_success_ms = TOKEN_PLAN_NOW;
  view = mq_view_build (&input);
  icon = mq_view_get_icon (view);

  g_assert_cmpint (icon->kind, ==, MQ_ICON_PERCENT);
  g_assert_cmpint (icon->percent, ==, 63);
  g_assert_true (icon->stale);
  g_assert_cmpstr (mq_view_get_status (view), ==, "Offline — showing data from 18:30");
  assert_contains (mq_view_get_title (view), "63% of the 5-hour window left");
  assert_contains (mq_view_get_title (view), "showing data from 18:30");
  /* The rows still show the last data and its reset by the clock. */
  assert_contains (require_row (view, "model:general")->text, "resets 21:00");
  g_assert_false (mq_view_get_show_set_key (view));
}

static void
test_error_without_snapshot (void)
{
  g_autoptr(GError) error = g_error_new_literal (MQ_ERROR, MQ_ERROR_KEY_REJECTED,
                                                 "MiniMax rejected the API key. Set a new key.");
  MqViewInput input = input_for (NULL, TOKEN_PLAN_NOW);
  g_autoptr(MqView) view = NULL;

  input.error = error;
  view = mq_view_build (&input);

  g_assert_cmpint (mq_view_get_icon (view)->kind, ==, MQ_ICON_ERROR);
  g_assert_false (mq_view_get_icon (view)->stale);
  g_assert_cmpstr (mq_view_get_status (view), ==, "API key rejected");
  g_assert_cmpstr (mq_view_get_header_detail (view), ==, error->message);
  assert_contains (mq_view_get_title (view), "API key rejected");
  g_assert_cmpstr (mq_view_get_label (view), ==, "");
  g_assert_cmpuint (mq_view_get_n_rows (view), ==, 0);
  /* A rejected key is fixed by setting another. */
  g_assert_true (mq_view_get_show_set_key (view));
}

static void
test_error_wording (void)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("current-percent-plan.json", CURRENT_NOW);
  struct { GQuark domain; int code; const char *status; } cases[] = {
    { MQ_ERROR, MQ_ERROR_NETWORK, "Offline — showing data from 17:30" },
    { MQ_ERROR, MQ_ERROR_RATE_LIMITED, "Rate limited — showing data from 17:30" },
    { MQ_ERROR, MQ_ERROR_SERVER, "MiniMax server error — showing data from 17:30" },
    { MQ_ERROR, MQ_ERROR_UNREADABLE, "Unreadable answer — showing data from 17:30" },
    { MQ_ERROR, MQ_ERROR_KEY_REJECTED, "API key rejected — showing data from 17:30" },
    { G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, "Offline — showing data from 17:30" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (cases[i].domain, cases[i].code, "x");
      MqViewInput input = input_for (snapshot, CURRENT_NOW + 3 * HOUR_MS);
      g_autoptr(MqView) view = NULL;

      input.error = error;
      view = mq_view_build (&input);
      g_assert_cmpstr (mq_view_get_status (view), ==, cases[i].status);
      g_assert_true (mq_view_get_icon (view)->stale);
    }
}

static void
test_waiting_for_first_answer (void)
{
  MqViewInput input = input_for (NULL, TOKEN_PLAN_NOW);
  g_autoptr(MqView) view = NULL;

  input.busy = TRUE;
  view = mq_view_build (&input);

  g_assert_cmpint (mq_view_get_icon (view)->kind, ==, MQ_ICON_UNKNOWN);
  g_assert_false (mq_view_get_icon (view)->stale);
  g_assert_cmpstr (mq_view_get_status (view), ==, "Checking your quota…");
  g_assert_false (mq_view_get_show_set_key (view));
  g_assert_cmpuint (mq_view_get_n_rows (view), ==, 0);
}

static void
test_busy_with_data (void)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("current-percent-plan.json", CURRENT_NOW);
  MqViewInput input = input_for (snapshot, CURRENT_NOW + 5 * MINUTE_MS);
  g_autoptr(MqView) view = NULL;

  input.busy = TRUE;
  view = mq_view_build (&input);
  g_assert_cmpstr (mq_view_get_status (view), ==, "Updated 17:30 · refreshing…");
  g_assert_false (mq_view_get_icon (view)->stale);
}

/* ---------------- rows and specs ---------------- */

static void
test_row_ids_stable (void)
{
  g_autoptr(MqSnapshot) a = load_fixture ("token-plan-plus-video-not-in-plan.json",
                                          TOKEN_PLAN_NOW);
  g_autoptr(MqSnapshot) b = load_fixture ("plus-boost-not-in-plan.json", BOOST_NOW);
  MqViewInput input_a = input_for (a, TOKEN_PLAN_NOW);
  MqViewInput input_b = input_for (b, BOOST_NOW);
  g_autoptr(MqView) view_a = mq_view_build (&input_a);
  g_autoptr(MqView) view_b = mq_view_build (&input_b);

  /* Same models, different numbers: the same rows, so the menu updates
   * its items in place. */
  g_assert_cmpuint (mq_view_get_n_rows (view_a), ==, mq_view_get_n_rows (view_b));
  for (guint i = 0; i < mq_view_get_n_rows (view_a); i++)
    g_assert_cmpstr (mq_view_get_row (view_a, i)->id, ==, mq_view_get_row (view_b, i)->id);
  g_assert_cmpstr (require_row (view_a, "model:general")->text, !=,
                   require_row (view_b, "model:general")->text);
  g_assert_cmpstr (require_row (view_a, "model:general:weekly")->text, !=,
                   require_row (view_b, "model:general:weekly")->text);
}

static void
test_duplicate_model_names (void)
{
  g_autoptr(MqSnapshot) snapshot = parse_rows (
      "{\"model_name\":\"video\",\"current_interval_status\":1,"
      "\"current_interval_remaining_percent\":50},"
      "{\"model_name\":\"video\",\"current_interval_status\":1,"
      "\"current_interval_remaining_percent\":40}",
      TOKEN_PLAN_NOW);
  MqViewInput input = input_for (snapshot, TOKEN_PLAN_NOW);
  g_autoptr(MqView) view = mq_view_build (&input);

  g_assert_cmpuint (mq_view_get_n_rows (view), ==, 2);
  g_assert_cmpstr (mq_view_get_row (view, 0)->id, !=, mq_view_get_row (view, 1)->id);
  /* No text lane at all: the headline says so and the icon has no number. */
  g_assert_cmpint (mq_view_get_icon (view)->kind, ==, MQ_ICON_UNKNOWN);
  assert_lacks (mq_view_get_title (view), "%");
}

static void
test_icon_spec_equal (void)
{
  MqIconSpec a = { MQ_ICON_PERCENT, 63, MQ_STATE_OK, FALSE };
  MqIconSpec b = a;
  MqIconSpec nokey_a = { MQ_ICON_NO_KEY, 0, MQ_STATE_UNKNOWN, FALSE };
  MqIconSpec nokey_b = { MQ_ICON_NO_KEY, 42, MQ_STATE_OK, TRUE };
  g_autofree char *text_a = mq_icon_spec_to_string (&a);
  g_autofree char *text_stale = NULL;

  g_assert_true (mq_icon_spec_equal (&a, &b));
  b.percent = 62;
  g_assert_false (mq_icon_spec_equal (&a, &b));
  b = a;
  b.stale = TRUE;
  g_assert_false (mq_icon_spec_equal (&a, &b));
  text_stale = mq_icon_spec_to_string (&b);
  b = a;
  b.state = MQ_STATE_LOW;
  g_assert_false (mq_icon_spec_equal (&a, &b));
  /* Fields a kind does not draw do not count. */
  g_assert_true (mq_icon_spec_equal (&nokey_a, &nokey_b));
  g_assert_false (mq_icon_spec_equal (&a, &nokey_a));

  g_assert_cmpstr (text_a, ==, "p63-ok");
  g_assert_cmpstr (text_stale, ==, "p63-ok-stale");
}

/* Issue 9.5: 20,000 rows built a menu of 20,000 items (24 s of CPU, RSS
 * 29 -> 254 MB). The view offers at most MQ_VIEW_MAX_MODELS models: the
 * headline's and those in the plan first, then one "N more models…" row. */
static void
test_rows_capped (void)
{
  g_autoptr(GString) rows = g_string_new (NULL);
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autoptr(MqView) view = NULL;
  MqViewInput input;
  const MqViewRow *last;
  guint n_models = 0, n_in_plan = 0;
  gboolean found_text = FALSE;
  gint64 started;
  double seconds;

  /* 10,000 not in the plan first, then 9,999 in it, the text model last. */
  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (rows, "{\"model_name\":\"video-%05u\","
                            "\"current_interval_status\":3,\"current_weekly_status\":3,"
                            "\"current_interval_remaining_percent\":0,"
                            "\"current_weekly_remaining_percent\":0},", i);
  for (guint i = 0; i < 9999; i++)
    g_string_append_printf (rows, "{\"model_name\":\"alpha-%04u\",\"current_interval_status\":1,"
                            "\"current_interval_remaining_percent\":50,"
                            "\"current_weekly_status\":1,\"current_weekly_remaining_percent\":60},", i);
  g_string_append (rows, "{\"model_name\":\"general\",\"current_interval_status\":1,"
                         "\"current_interval_remaining_percent\":63,\"current_weekly_status\":3}");
  snapshot = parse_rows (rows->str, TOKEN_PLAN_NOW);
  /* The snapshot keeps the text model and the first of those in the plan;
   * "N more" counts every row of the answer. */
  g_assert_cmpuint (mq_snapshot_get_n_models (snapshot), ==, MQ_SNAPSHOT_MAX_MODELS);
  g_assert_cmpuint (mq_snapshot_get_n_omitted (snapshot), ==, 20000 - MQ_SNAPSHOT_MAX_MODELS);

  input = input_for (snapshot, TOKEN_PLAN_NOW);
  started = g_get_monotonic_time ();
  view = mq_view_build (&input);
  seconds = (g_get_monotonic_time () - started) / 1e6;
  g_test_message ("view of 20,000 rows built in %.3f s", seconds);
  g_assert_cmpfloat (seconds, <, 1.0);

  g_assert_cmpuint (mq_view_get_n_rows (view), <=, MQ_VIEW_MAX_ROWS + 1);
  for (guint i = 0; i < mq_view_get_n_rows (view); i++)
    {
      const MqViewRow *row = mq_view_get_row (view, i);

      if (row->level > 0)
        continue;
      n_models++;
      g_assert_false (row->not_in_plan);
      if (g_str_has_prefix (row->text, "Text models"))
        found_text = TRUE;
      if (g_str_has_prefix (row->text, "alpha-"))
        n_in_plan++;
    }
  g_assert_true (found_text);
  g_assert_cmpuint (n_in_plan, ==, MQ_VIEW_MAX_MODELS - 1);
  g_assert_cmpuint (n_models, ==, MQ_VIEW_MAX_MODELS + 1);
  /* Past the snapshot's cap, models not in the plan are left out first:
   * nothing kept to upgrade for. */
  g_assert_false (mq_view_get_show_upgrade (view));

  last = mq_view_get_row (view, mq_view_get_n_rows (view) - 1);
  g_assert_cmpstr (last->id, ==, "more-models");
  g_assert_cmpstr (last->text, ==, "19988 more models…");
  g_assert_cmpstr (mq_view_get_header (view), ==, "63% of the 5-hour window left");
}

/* Few models: every one, in the order of the answer, and no "more" row. */
static void
test_rows_under_cap_all_shown (void)
{
  g_autoptr(GString) rows = g_string_new (NULL);
  g_autoptr(MqSnapshot) snapshot = NULL;
  g_autoptr(MqView) view = NULL;
  MqViewInput input;
  guint n_models = 0;

  for (guint i = 0; i < MQ_VIEW_MAX_MODELS; i++)
    g_string_append_printf (rows, "%s{\"model_name\":\"m-%02u\",\"current_interval_status\":%d,"
                            "\"current_interval_remaining_percent\":50,\"current_weekly_status\":3}",
                            i > 0 ? "," : "", i, i % 2 == 0 ? 3 : 1);
  snapshot = parse_rows (rows->str, TOKEN_PLAN_NOW);
  input = input_for (snapshot, TOKEN_PLAN_NOW);
  view = mq_view_build (&input);

  for (guint i = 0; i < mq_view_get_n_rows (view); i++)
    {
      const MqViewRow *row = mq_view_get_row (view, i);
      g_autofree char *id = NULL;

      if (row->level > 0)
        continue;
      id = g_strdup_printf ("model:m-%02u", n_models++);
      g_assert_cmpstr (row->id, ==, id);
    }
  g_assert_cmpuint (n_models, ==, MQ_VIEW_MAX_MODELS);
}

/* ---------------- issue 10: a calmer menu ---------------- */

static void
test_rows_inert (void)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("token-plan-plus-video-not-in-plan.json",
                                                 TOKEN_PLAN_NOW);
  MqViewInput input = input_for (snapshot, TOKEN_PLAN_NOW);
  g_autoptr(MqView) view = mq_view_build (&input);

  /* Information rows are headings; the upgrade offer stays an action. */
  g_assert_true (require_row (view, "model:general")->inert);
  g_assert_true (require_row (view, "model:general:weekly")->inert);
  g_assert_false (require_row (view, "model:video")->inert);
  /* The first row does not repeat the headline word for word. */
  g_assert_cmpstr (require_row (view, "model:general")->text, !=, mq_view_get_header (view));
  assert_lacks (require_row (view, "model:general")->text, mq_view_get_header (view));
}

static void
test_rows_short (void)
{
  const char *fixtures[][2] = {
    { "token-plan-plus-video-not-in-plan.json", "1780857000000" },
    { "legacy-counts-cn.json", "1774326600000" },
    { "plus-boost-not-in-plan.json", "1780356600000" },
    { "exhausted-interval.json", "1782052200000" },
    { "current-percent-plan.json", "1785173400000" },
  };

  /* ~420 px at a menu's usual 7-8 px per character: 50 columns (56 for
   * an indented weekly row). The old rows were up to 75. */
  for (gsize f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      gint64 now = g_ascii_strtoll (fixtures[f][1], NULL, 10);
      g_autoptr(MqSnapshot) snapshot = load_fixture (fixtures[f][0], now);
      MqViewInput input = input_for (snapshot, now);
      g_autoptr(MqView) view = mq_view_build (&input);

      for (guint i = 0; i < mq_view_get_n_rows (view); i++)
        {
          const MqViewRow *row = mq_view_get_row (view, i);

          if (mq_format_display_width (row->text) > MQ_VIEW_ROW_COLUMNS + (row->level > 0 ? 6 : 0))
            g_error ("%s: row too wide (%" G_GSIZE_FORMAT "): %s", fixtures[f][0],
                     mq_format_display_width (row->text), row->text);
          if (row->detail != NULL && mq_format_display_width (row->detail) > MQ_VIEW_ROW_COLUMNS)
            g_error ("%s: detail too wide: %s", fixtures[f][0], row->detail);
        }
      if (mq_view_get_header_detail (view) != NULL)
        g_assert_cmpuint (mq_format_display_width (mq_view_get_header_detail (view)), <=, 56);
    }
}

static void
test_no_key_menu (void)
{
  MqViewInput input = input_for (NULL, TOKEN_PLAN_NOW);
  g_autoptr(MqView) view = NULL;

  input.has_key = FALSE;
  view = mq_view_build (&input);
  /* One line saying what is needed; nothing to refresh. */
  g_assert_cmpstr (mq_view_get_header (view), ==, "No API key set — add one to see your quota");
  g_assert_null (mq_view_get_header_detail (view));
  g_assert_false (mq_view_get_can_refresh (view));
  g_assert_true (mq_view_get_show_set_key (view));

  input.has_key = TRUE;
  g_clear_pointer (&view, mq_view_free);
  view = mq_view_build (&input);
  g_assert_true (mq_view_get_can_refresh (view));
}

static void
test_rate_limited_line (void)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("token-plan-plus-video-not-in-plan.json",
                                                 TOKEN_PLAN_NOW);
  g_autoptr(GError) error = g_error_new_literal (MQ_ERROR, MQ_ERROR_RATE_LIMITED, "429");
  MqViewInput input = input_for (snapshot, TOKEN_PLAN_NOW + 5 * MINUTE_MS);
  g_autoptr(MqView) view = NULL;
  g_autoptr(MqView) later = NULL;

  input.error = error;
  input.rate_limited_until_ms = TOKEN_PLAN_NOW + 70 * MINUTE_MS;   /* 19:40 */
  view = mq_view_build (&input);
  g_assert_cmpstr (mq_view_get_status (view), ==, "Rate limited until 19:40 · data from 18:30");
  g_assert_true (mq_view_get_icon (view)->stale);

  /* Once the time has passed, no such line. */
  input.now_ms = TOKEN_PLAN_NOW + 71 * MINUTE_MS;
  later = mq_view_build (&input);
  assert_lacks (mq_view_get_status (later), "until");
}

static void
test_reset_due (void)
{
  /* Read 3 h after the fixture: its 5-hour window reset at 21:00 is past. */
  g_autoptr(MqSnapshot) snapshot = load_fixture ("token-plan-plus-video-not-in-plan.json",
                                                 TOKEN_PLAN_NOW);
  MqViewInput input = input_for (snapshot, TOKEN_PLAN_NOW + 3 * HOUR_MS);
  g_autoptr(MqView) view = NULL;
  g_autoptr(MqView) fresh = NULL;

  input.last_success_ms = TOKEN_PLAN_NOW;
  view = mq_view_build (&input);
  g_assert_true (mq_view_get_reset_due (view));
  g_assert_cmpstr (mq_view_get_header_detail (view), ==, "Reset due — refreshing");
  assert_lacks (mq_view_get_title (view), "in now");
  assert_lacks (mq_view_get_title (view), "resets now");
  /* Too long for one line: the reset moves to the second. */
  g_assert_cmpstr (require_row (view, "model:general")->text, ==, "Text models (5-hour): 63% left");
  g_assert_cmpstr (require_row (view, "model:general")->detail, ==,
                   "reset due — refreshing · 945/1,500 left");
  for (guint i = 0; i < mq_view_get_n_rows (view); i++)
    assert_lacks (mq_view_get_row (view, i)->text, "in now");
  /* The number is old: the screen reader hears so. */
  g_assert_cmpstr (mq_view_get_icon_description (view), ==,
                   "63% left — last updated 18:30, not current");

  input.now_ms = TOKEN_PLAN_NOW;
  fresh = mq_view_build (&input);
  g_assert_false (mq_view_get_reset_due (fresh));
  g_assert_cmpstr (mq_view_get_icon_description (fresh), ==, "63% left");
}

static void
test_stale_icon_description (void)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("token-plan-plus-video-not-in-plan.json",
                                                 TOKEN_PLAN_NOW);
  g_autoptr(GError) error = g_error_new_literal (MQ_ERROR, MQ_ERROR_NETWORK, "down");
  MqViewInput input = input_for (snapshot, TOKEN_PLAN_NOW + 30 * MINUTE_MS);
  g_autoptr(MqView) view = NULL;

  input.error = error;
  input.last_success_ms = TOKEN_PLAN_NOW;
  view = mq_view_build (&input);
  g_assert_cmpstr (mq_view_get_icon_description (view), ==,
                   "63% left — last updated 18:30, not current");
}

/* ---------------- issue 11: forecasts in the menu ---------------- */

static GArray *
forecasts_new (void)
{
  return g_array_new (FALSE, TRUE, sizeof (MqHistoryForecast));
}

static void
forecasts_add (GArray           *forecasts,
               const char       *model,
               MqSlot            slot,
               const MqForecast *forecast)
{
  MqHistoryForecast f = { (char *) model, slot, *forecast };

  g_array_append_val (forecasts, f);
}

static void
test_forecast_rows (void)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("token-plan-plus-video-not-in-plan.json",
                                                 TOKEN_PLAN_NOW);
  MqViewInput input = input_for (snapshot, TOKEN_PLAN_NOW);
  g_autoptr(GArray) forecasts = forecasts_new ();
  g_autoptr(MqView) view = NULL;
  MqForecast interval = { 0 }, weekly = { 0 };

  /* 63% left, 30 points an hour: runs out at 20:36, before the 21:00 reset. */
  interval.has_forecast = TRUE;
  interval.rate_percent_per_hour = 30;
  interval.runs_out_at_ms = TOKEN_PLAN_NOW + 126 * MINUTE_MS;
  weekly.has_forecast = TRUE;
  weekly.lasts_until_reset = TRUE;
  weekly.has_pace = TRUE;
  weekly.expected_remaining_percent = 91;
  weekly.delta_percent = 5.4;
  forecasts_add (forecasts, "general", MQ_SLOT_INTERVAL, &interval);
  forecasts_add (forecasts, "general", MQ_SLOT_WEEKLY, &weekly);

  input.forecasts = forecasts;
  view = mq_view_build (&input);
  g_assert_cmpstr (require_row (view, "model:general")->detail, ==,
                   "945/1,500 left · runs out ~20:36");
  g_assert_cmpstr (require_row (view, "model:general:weekly")->detail, ==,
                   "14,400/15,000 left · lasts until reset · 5% ahead of pace");
  /* The headline too. */
  assert_contains (mq_view_get_header_detail (view), "runs out ~20:36");
  assert_contains (mq_view_get_title (view), "runs out ~20:36");

  /* Behind pace; the interval lasts. */
  g_clear_pointer (&view, mq_view_free);
  g_array_index (forecasts, MqHistoryForecast, 0).forecast.runs_out_at_ms = 0;
  g_array_index (forecasts, MqHistoryForecast, 0).forecast.lasts_until_reset = TRUE;
  g_array_index (forecasts, MqHistoryForecast, 1).forecast.delta_percent = -7.2;
  view = mq_view_build (&input);
  g_assert_cmpstr (require_row (view, "model:general")->detail, ==,
                   "945/1,500 left · lasts until reset");
  assert_contains (require_row (view, "model:general:weekly")->detail, "7% behind pace");
  assert_contains (mq_view_get_header_detail (view), "lasts until reset");
}

static void
test_forecast_none (void)
{
  g_autoptr(MqSnapshot) snapshot = load_fixture ("current-percent-plan.json", CURRENT_NOW);
  MqViewInput input = input_for (snapshot, CURRENT_NOW);
  g_autoptr(GArray) forecasts = forecasts_new ();
  g_autoptr(MqView) view = NULL;
  MqForecast none = { 0 };

  /* Not enough history: no forecast words anywhere, no empty rows. */
  forecasts_add (forecasts, "general", MQ_SLOT_INTERVAL, &none);
  input.forecasts = forecasts;
  view = mq_view_build (&input);
  for (guint i = 0; i < mq_view_get_n_rows (view); i++)
    {
      const MqViewRow *row = mq_view_get_row (view, i);

      assert_lacks (row->text, "runs out");
      assert_lacks (row->text, "lasts");
      g_assert_true (row->detail == NULL || (*row->detail != '\0' &&
                                             strstr (row->detail, "runs out") == NULL &&
                                             strstr (row->detail, "lasts") == NULL));
    }
  assert_lacks (mq_view_get_title (view), "runs out");
}

/* ---- Several accounts (issue 12) ---- */

static MqBalance *
balance_from (const char *json)
{
  g_autoptr(GError) error = NULL;
  MqBalance *balance = mq_balance_parse (json, strlen (json), TOKEN_PLAN_NOW,
                                         MQ_REGION_GLOBAL, &error);

  g_assert_no_error (error);
  return balance;
}

static MqViewAccountInput
account_for (const char *name,
             MqSnapshot *snapshot,
             MqBalance  *balance)
{
  MqViewAccountInput account = { 0 };

  account.name = name;
  account.pay_as_you_go = balance != NULL;
  account.snapshot = snapshot;
  account.balance = balance;
  account.has_key = TRUE;
  account.last_success_ms = TOKEN_PLAN_NOW;
  return account;
}

static void
test_accounts_sections (void)
{
  g_autoptr(MqSnapshot) plus = load_fixture ("token-plan-plus-video-not-in-plan.json", TOKEN_PLAN_NOW);
  g_autoptr(MqSnapshot) low = load_fixture ("e2e-low.json", TOKEN_PLAN_NOW);
  g_autoptr(MqBalance) balance = balance_from (
      "{\"available_amount\":\"25.4\",\"owed_amount\":\"-3\",\"base_resp\":{\"status_code\":0}}");
  MqViewAccountInput accounts[3];
  MqViewInput input = input_for (NULL, TOKEN_PLAN_NOW);
  g_autoptr(MqView) alone = NULL;
  g_autoptr(MqView) view = NULL;
  const MqViewRow *row;
  const char *plan = NULL;
  gboolean inferred = FALSE;
  g_autofree char *expected = NULL;
  MqViewInput single;

  accounts[0] = account_for ("personal", plus, NULL);
  accounts[1] = account_for ("team-2", low, NULL);
  accounts[2] = account_for ("spare", NULL, balance);
  input.accounts = accounts;
  input.n_accounts = 3;
  input.displayed = 1;
  view = mq_view_build (&input);

  /* A header per account, with its plan. */
  g_assert_true (mq_snapshot_get_plan (plus, &plan, &inferred));
  expected = g_strdup_printf (inferred ? "personal — %s plan (inferred)" : "personal — %s plan", plan);
  row = require_row (view, "account:personal");
  g_assert_cmpstr (row->text, ==, expected);
  g_assert_true (row->inert);
  g_assert_cmpuint (row->level, ==, 0);
  g_assert_cmpstr (require_row (view, "account:spare")->text, ==, "spare — pay-as-you-go");
  g_assert_nonnull (find_row (view, "account:team-2"));

  /* Then that account's rows, as it would have alone. */
  single = input_for (plus, TOKEN_PLAN_NOW);
  alone = mq_view_build (&single);
  row = require_row (view, "account:personal:headline");
  g_assert_cmpstr (row->text, ==, mq_view_get_header (alone));
  g_assert_true (row->inert);
  for (guint i = 0; i < mq_view_get_n_rows (alone); i++)
    {
      const MqViewRow *own = mq_view_get_row (alone, i);
      g_autofree char *id = g_strconcat ("account:personal:", own->id, NULL);

      row = require_row (view, id);
      g_assert_cmpstr (row->text, ==, own->text);
      g_assert_cmpstr (row->detail, ==, own->detail);
    }
  g_assert_nonnull (find_row (view, "account:team-2:model:general"));
  g_assert_null (find_row (view, "model:general"));

  /* The balance and what is owed. */
  g_assert_cmpstr (require_row (view, "account:spare:balance")->text, ==, "Balance: $25.40");
  g_assert_cmpstr (require_row (view, "account:spare:owed")->text, ==, "Owed: $3.00");
  g_assert_null (find_row (view, "account:spare:status"));

  /* Sections follow the accounts' order. */
  g_assert_cmpstr (mq_view_get_row (view, 0)->id, ==, "account:personal");

  /* The icon and title follow the displayed account. */
  {
    MqViewInput team = input_for (low, TOKEN_PLAN_NOW);
    g_autoptr(MqView) team_alone = mq_view_build (&team);
    g_autofree char *header = g_strdup_printf ("team-2: %s", mq_view_get_header (team_alone));

    g_assert_true (mq_icon_spec_equal (mq_view_get_icon (view), mq_view_get_icon (team_alone)));
    g_assert_cmpstr (mq_view_get_label (view), ==, mq_view_get_label (team_alone));
    g_assert_cmpstr (mq_view_get_header (view), ==, header);
    g_assert_true (g_str_has_prefix (mq_view_get_title (view), "team-2: "));
  }

  /* Displaying the pay-as-you-go account: its balance. */
  input.displayed = 2;
  {
    g_autoptr(MqView) payg = mq_view_build (&input);

    g_assert_cmpstr (mq_view_get_label (payg), ==, "$25.40");
    g_assert_cmpstr (mq_view_get_icon_description (payg), ==, "Balance: $25.40");
    g_assert_cmpstr (mq_view_get_title (payg), ==, "spare: Balance: $25.40");
  }
}

/* One failing account keeps its section, with its status. */
static void
test_accounts_failing (void)
{
  g_autoptr(MqSnapshot) plus = load_fixture ("token-plan-plus-video-not-in-plan.json", TOKEN_PLAN_NOW);
  g_autoptr(GError) error = g_error_new_literal (MQ_ERROR, MQ_ERROR_NETWORK, "refused");
  MqViewAccountInput accounts[2];
  MqViewInput input = input_for (NULL, TOKEN_PLAN_NOW);
  g_autoptr(MqView) view = NULL;

  accounts[0] = account_for ("personal", plus, NULL);
  accounts[1] = account_for ("team-2", NULL, NULL);
  accounts[1].error = error;
  accounts[1].last_success_ms = 0;
  input.accounts = accounts;
  input.n_accounts = 2;
  view = mq_view_build (&input);

  g_assert_cmpstr (require_row (view, "account:team-2")->text, ==, "team-2");
  g_assert_cmpstr (require_row (view, "account:team-2:headline")->text, ==, "Cannot read your quota");
  g_assert_nonnull (find_row (view, "account:team-2:status"));
  g_assert_null (find_row (view, "account:personal:status"));
  g_assert_nonnull (find_row (view, "account:personal:model:general"));
  g_assert_true (mq_view_get_can_refresh (view));
}

/* One Token Plan account: exactly the view of today. */
static void
test_accounts_one_as_before (void)
{
  g_autoptr(MqSnapshot) plus = load_fixture ("token-plan-plus-video-not-in-plan.json", TOKEN_PLAN_NOW);
  MqViewAccountInput account = account_for ("default", plus, NULL);
  MqViewInput input = input_for (plus, TOKEN_PLAN_NOW);
  g_autoptr(MqView) before = mq_view_build (&input);
  g_autoptr(MqView) after = NULL;

  input.accounts = &account;
  input.n_accounts = 1;
  after = mq_view_build (&input);

  g_assert_cmpuint (mq_view_get_n_rows (after), ==, mq_view_get_n_rows (before));
  for (guint i = 0; i < mq_view_get_n_rows (before); i++)
    {
      g_assert_cmpstr (mq_view_get_row (after, i)->id, ==, mq_view_get_row (before, i)->id);
      g_assert_cmpstr (mq_view_get_row (after, i)->text, ==, mq_view_get_row (before, i)->text);
    }
  g_assert_cmpstr (mq_view_get_header (after), ==, mq_view_get_header (before));
  g_assert_cmpstr (mq_view_get_title (after), ==, mq_view_get_title (before));
  g_assert_null (find_row (after, "account:default"));
}

/* A pay-as-you-go balance below its threshold, or spent, colours the icon. */
static void
test_accounts_balance_state (void)
{
  g_autoptr(MqBalance) low = balance_from ("{\"available_amount\":4,\"base_resp\":{\"status_code\":0}}");
  g_autoptr(MqBalance) spent = balance_from ("{\"available_amount\":0,\"base_resp\":{\"status_code\":0}}");
  MqViewAccountInput account = account_for ("spare", NULL, low);
  MqViewInput input = input_for (NULL, TOKEN_PLAN_NOW);
  g_autoptr(MqView) view = NULL;
  g_autoptr(MqView) no_threshold = NULL;
  g_autoptr(MqView) spent_view = NULL;

  input.accounts = &account;
  input.n_accounts = 1;
  account.balance_threshold = 10;
  view = mq_view_build (&input);
  g_assert_cmpint (mq_view_get_icon (view)->state, ==, MQ_STATE_LOW);
  g_assert_cmpint (require_row (view, "account:spare:balance")->state, ==, MQ_STATE_LOW);
  g_assert_null (find_row (view, "account:spare:owed"));

  account.balance_threshold = 0;
  no_threshold = mq_view_build (&input);
  g_assert_cmpint (mq_view_get_icon (no_threshold)->state, ==, MQ_STATE_OK);

  account.balance = spent;
  spent_view = mq_view_build (&input);
  g_assert_cmpint (mq_view_get_icon (spent_view)->state, ==, MQ_STATE_EXHAUSTED);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/view/headline/token-plan", test_token_plan_headline);
  g_test_add_func ("/view/headline/model-not-in-plan", test_headline_model_not_in_plan);
  g_test_add_func ("/view/headline/other-lane", test_other_lane_headline);
  g_test_add_func ("/view/headline/weekly-binds", test_weekly_binds);
  g_test_add_func ("/view/headline/exhausted", test_exhausted);
  g_test_add_func ("/view/headline/unlimited", test_unlimited);
  g_test_add_func ("/view/icon/percent-rounding", test_icon_percent_rounding);
  g_test_add_func ("/view/icon/spec-equal", test_icon_spec_equal);
  g_test_add_func ("/view/rows/token-plan", test_token_plan_rows);
  g_test_add_func ("/view/rows/not-in-plan", test_not_in_plan_row);
  g_test_add_func ("/view/rows/legacy-counts", test_legacy_counts);
  g_test_add_func ("/view/rows/boost", test_boost);
  g_test_add_func ("/view/rows/ids-stable", test_row_ids_stable);
  g_test_add_func ("/view/rows/duplicate-names", test_duplicate_model_names);
  g_test_add_func ("/view/key/none", test_no_key);
  g_test_add_func ("/view/key/none-hides-old-data", test_no_key_hides_old_data);
  g_test_add_func ("/view/error/stale", test_error_with_snapshot_is_stale);
  g_test_add_func ("/view/error/no-snapshot", test_error_without_snapshot);
  g_test_add_func ("/view/error/wording", test_error_wording);
  g_test_add_func ("/view/status/first-fetch", test_waiting_for_first_answer);
  g_test_add_func ("/view/status/busy", test_busy_with_data);
  g_test_add_func ("/view/rows/capped", test_rows_capped);
  g_test_add_func ("/view/rows/under-cap-all-shown", test_rows_under_cap_all_shown);
  g_test_add_func ("/view/menu/rows-inert", test_rows_inert);
  g_test_add_func ("/view/menu/rows-short", test_rows_short);
  g_test_add_func ("/view/menu/no-key", test_no_key_menu);
  g_test_add_func ("/view/menu/rate-limited", test_rate_limited_line);
  g_test_add_func ("/view/menu/reset-due", test_reset_due);
  g_test_add_func ("/view/icon/stale-description", test_stale_icon_description);
  g_test_add_func ("/view/forecast/rows", test_forecast_rows);
  g_test_add_func ("/view/forecast/none", test_forecast_none);
  g_test_add_func ("/view/accounts/sections", test_accounts_sections);
  g_test_add_func ("/view/accounts/failing", test_accounts_failing);
  g_test_add_func ("/view/accounts/one-as-before", test_accounts_one_as_before);
  g_test_add_func ("/view/accounts/balance-state", test_accounts_balance_state);

  return g_test_run ();
}
