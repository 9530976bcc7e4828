#!/usr/bin/env bash
# The date-sensitive test files again, under faketime (Debian package `faketime`), at 00:30 and at 23:30 Wenzhou
# time today: between 00:00 and 08:00 Shanghai time the UTC date is still yesterday, and every "today", printed
# date and date comparison of the portal must be Wenzhou's at any hour. Node, the embedded PostgreSQL it starts and
# Chromium all run at the faked time (LD_PRELOAD is inherited). `npm run test:hours` after a build.
set -euo pipefail
cd "$(dirname "$0")/.."

# Files whose assertions depend on today's date (certification, payment and recovery dates, documents, SLA and 公示
# windows, daily objection limits, annual reports, the calendar) — add a file here when it compares or prints a date.
files=(
  tests/e2e/certification-journey.test.ts
  tests/e2e/certification-rules.test.ts
  tests/e2e/certification-authorization.test.ts
  tests/e2e/certification-concurrency.test.ts
  tests/e2e/revocation-propagation.test.ts
  tests/e2e/idempotency.test.ts
  tests/e2e/objections.test.ts
  tests/e2e/annual-reports.test.ts
  tests/e2e/calendar.test.ts
  tests/e2e/documents.test.ts
  tests/e2e/workflow-rules.test.ts
  tests/e2e/workflow-journey.test.ts
  apps/web/src/common/format.spec.ts
  tests/e2e/dashboard.test.ts
  tests/e2e/exports.test.ts
  tests/e2e/monthly-report.test.ts
  tests/browser/dashboard.test.ts
  tests/e2e/order-class-journey.test.ts
  tests/e2e/order-class-roster.test.ts
  tests/e2e/order-class-masking.test.ts
  tests/browser/certification-journey.test.ts
  tests/browser/review-inbox.test.ts
  tests/browser/annual-report.test.ts
  tests/browser/revocation-views.test.ts
  tests/e2e/practice-journey.test.ts
  tests/e2e/practice-ledger.test.ts
  tests/e2e/practice-authorization.test.ts
  tests/e2e/practice-concurrency.test.ts
  tests/e2e/practice-import.test.ts
  tests/e2e/practice-post-ended.test.ts
  tests/browser/practice-journey.test.ts
  tests/e2e/invitations.test.ts
  tests/browser/invitations.test.ts
  tests/e2e/dashboard-order-classes.test.ts
  tests/e2e/dashboard-practice.test.ts
  tests/e2e/demo-city.test.ts
)

command -v faketime >/dev/null || { echo "[hours] faketime is not installed (apt-get install faketime)" >&2; exit 1; }
day=$(TZ=Asia/Shanghai date +%F)
for hm in 00:30 23:30; do
  at=$(TZ=UTC date -u -d "$day $hm +0800" '+%F %T')
  echo "[hours] $day $hm Asia/Shanghai ($at UTC)"
  # the faked clock starts at $at and then runs on, one clock for every process (FAKETIME_DONT_RESET: children do
  # not start again at $at); the machine's PostgreSQL would not share it, and Redis cannot run under faketime
  env -u DATABASE_URL -u TEST_DATABASE_URL TZ=UTC FAKETIME_DONT_RESET=1 NODE_OPTIONS='--experimental-vm-modules --no-warnings --max-old-space-size=8192' \
    faketime -f "@$at" npx jest "${files[@]}"
done
