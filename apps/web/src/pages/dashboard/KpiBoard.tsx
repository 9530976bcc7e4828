import { Alert, Box, Card, CardActionArea, CardContent, Chip, LinearProgress, Stack, ToggleButton, ToggleButtonGroup, Typography } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import { LineChart } from '@mui/x-charts/LineChart';
import { portalToday, type KpiBucketDto, type KpiDto, type KpiLink, type KpisDto } from '@portal/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Loading, useNavigate, useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../../common/api';
import { formatCount, formatDateTime } from '../../common/format';

/** The list page of a figure, filtered as the server says (its total equals the figure). */
export const linkPath = (link: KpiLink) => `/${link.resource}?filter=${encodeURIComponent(JSON.stringify(link.filter))}`;

const number = (v: number, unit: string) =>
  unit === '元' ? `${(v / 10_000).toLocaleString('zh-CN', { maximumFractionDigits: 1 })} 万元` : `${formatCount(v)} ${unit}`;

/** Figures that count things (家, 个, 人次): their axes have whole-number ticks, never "0.5 家". */
const countUnit = (unit: string) => unit !== '元' && unit !== '%';
const valueAxis = (unit: string) => [{ tickMinStep: countUnit(unit) ? 1 : undefined }];

/** 2026-01 → 26年1月, other months → 2月 … (the axis has room for twelve short labels) */
const monthLabel = (m: string) => (m.endsWith('-01') ? `${m.slice(2, 4)}年1月` : `${Number(m.slice(5))}月`);

/** One indicator: value against target with a progress bar; a click opens the records behind it. */
function KpiCard({ k, own }: { k: KpiDto; own: boolean }) {
  const translate = useTranslate();
  const navigate = useNavigate();
  const body = (
    <CardContent>
      {/* two lines' height whatever the label's length, so that the values of one row of cards line up */}
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'flex-start', gap: 1, minHeight: 44 }}>
        <Typography variant="subtitle2" color="text.secondary">
          {k.label}
        </Typography>
        <Chip size="small" variant="outlined" label={translate('app.reporting.seed_task', { n: k.seedTask })} />
      </Stack>
      <Typography variant="h4" sx={{ my: 1, fontWeight: 600 }} data-testid={`kpi-value-${k.key}`}>
        {k.value === null ? translate('app.reporting.no_data') : number(k.value, k.unit)}
      </Typography>
      {k.target ? (
        <>
          <Typography variant="body2" color="text.secondary">
            {translate('app.reporting.target', {
              value: k.unit === '元' ? '' : formatCount(k.target.value),
              unit: k.unit === '元' ? number(k.target.value, k.unit) : k.unit,
              deadline: k.target.deadline,
            })}
          </Typography>
          {/* a deadline passed with the target not reached says so, not only by a short bar */}
          {k.target.deadline < portalToday() && k.progress !== null && k.progress < 100 && (
            <Chip
              size="small"
              color="error"
              variant="outlined"
              label={translate('app.reporting.target_missed', { deadline: k.target.deadline })}
              sx={{ mt: 0.5 }}
              data-testid={`kpi-missed-${k.key}`}
            />
          )}
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mt: 1 }}>
            <LinearProgress
              variant="determinate"
              value={Math.min(100, k.progress ?? 0)}
              sx={{ flex: 1, height: 8, borderRadius: 4 }}
              color={(k.progress ?? 0) >= 100 ? 'success' : 'primary'}
            />
            <Typography variant="caption">{k.progress === null ? '—' : translate('app.reporting.progress', { progress: k.progress })}</Typography>
          </Stack>
        </>
      ) : own ? null : (
        <Typography variant="body2" color="text.secondary">
          {translate('app.reporting.no_target')}
        </Typography>
      )}
    </CardContent>
  );
  return <Card data-testid={`kpi-${k.key}`}>{k.link ? <CardActionArea onClick={() => navigate(linkPath(k.link!))}>{body}</CardActionArea> : body}</Card>;
}

/** Where a chart would be empty (no record, or a share with nobody to divide by everywhere): say so, not a blank axis. */
function NoData({ testId }: { testId: string }) {
  const translate = useTranslate();
  return (
    <Box sx={{ height: 300, display: 'flex', alignItems: 'center', justifyContent: 'center' }} data-testid={`${testId}-no-data`}>
      <Typography variant="body2" color="text.secondary">
        {translate('app.reporting.no_data')}
      </Typography>
    </Box>
  );
}

/**
 * A split as bars; a click on a bar opens its filtered list. A bucket whose share has nothing to divide by (value
 * null) draws no bar and reads "—" under its name on the axis and 暂无数据 in the tooltip, never 0 %.
 */
function Bars({ title, rows, unit, testId }: { title: string; rows: KpiBucketDto[]; unit: string; testId: string }) {
  const navigate = useNavigate();
  const translate = useTranslate();
  const money = unit === '元';
  const noData = translate('app.reporting.no_data');
  const empty = rows.every((r) => !r.value);
  return (
    <Card sx={{ flex: '1 1 420px', minWidth: 360 }} data-testid={testId}>
      <CardContent>
        <Typography variant="subtitle1">{title}</Typography>
        {empty ? null : (
          <Typography variant="caption" color="text.secondary">
            {translate('app.reporting.click_hint')}
          </Typography>
        )}
        {empty ? (
          <NoData testId={testId} />
        ) : (
          <BarChart
            height={300}
            dataset={rows.map((r) => ({
              label: r.value === null ? `${r.label} —` : r.label,
              value: r.value === null ? null : money ? r.value / 10_000 : r.value,
            }))}
            xAxis={[
              {
                scaleType: 'band',
                dataKey: 'label',
                height: 70,
                tickLabelStyle: { fontSize: 11, angle: -40, textAnchor: 'end' },
                tickLabelInterval: () => true,
              },
            ]}
            yAxis={valueAxis(unit)}
            series={[{ dataKey: 'value', label: money ? '万元' : unit, valueFormatter: (v) => (v === null ? noData : money ? `${v} 万元` : `${v} ${unit}`) }]}
            hideLegend
            onItemClick={(_e, item) => {
              const link = rows[item.dataIndex]?.link;
              if (link) navigate(linkPath(link));
            }}
            onAxisClick={(_e, data) => {
              const link = data ? rows[data.dataIndex]?.link : null;
              if (link) navigate(linkPath(link));
            }}
            sx={{ cursor: 'pointer' }}
          />
        )}
      </CardContent>
    </Card>
  );
}

/** Charts of one indicator: trend by month (line), split by county, industry, school (bars). */
function Charts({ k }: { k: KpiDto }) {
  const translate = useTranslate();
  const money = k.unit === '元';
  return (
    <Stack direction="row" useFlexGap spacing={2} sx={{ flexWrap: 'wrap' }}>
      {k.trend && (
        <Card sx={{ flex: '1 1 420px', minWidth: 360 }} data-testid="chart-trend">
          <CardContent>
            <Typography variant="subtitle1">
              {k.label} · {translate('app.reporting.trend')}
            </Typography>
            {k.trend.every((p) => !p.value) ? (
              <NoData testId="chart-trend" />
            ) : (
              <LineChart
                height={300}
                xAxis={[
                  {
                    scaleType: 'point',
                    data: k.trend.map((p) => p.month),
                    valueFormatter: monthLabel,
                    height: 50,
                    tickLabelStyle: { fontSize: 11, angle: -35, textAnchor: 'end' },
                    tickLabelInterval: () => true,
                  },
                ]}
                yAxis={valueAxis(k.unit)}
                series={[
                  {
                    data: k.trend.map((p) => (p.value === null ? null : money ? p.value / 10_000 : p.value)),
                    label: money ? '万元' : k.unit,
                    area: true,
                    curve: 'linear',
                    valueFormatter: (v) => (v === null ? translate('app.reporting.no_data') : `${v} ${money ? '万元' : k.unit}`),
                  },
                  ...(k.target ? [{ data: k.trend.map(() => (money ? k.target!.value / 10_000 : k.target!.value)), label: '目标', showMark: false }] : []),
                ]}
              />
            )}
          </CardContent>
        </Card>
      )}
      {k.byCounty && <Bars title={`${k.label} · ${translate('app.reporting.by_county')}`} rows={k.byCounty} unit={k.unit} testId="chart-county" />}
      {k.byIndustry && <Bars title={`${k.label} · ${translate('app.reporting.by_industry')}`} rows={k.byIndustry} unit={k.unit} testId="chart-industry" />}
      {k.bySchool && k.bySchool.length > 0 && (
        <Bars title={`${k.label} · ${translate('app.reporting.by_school')}`} rows={k.bySchool} unit={k.unit} testId="chart-school" />
      )}
    </Stack>
  );
}

/**
 * Every indicator of the plan for a scope (the caller's by default), each against its target; with `charts`,
 * the trend and splits of the chosen indicator.
 */
export function KpiBoard({ scope, charts }: { scope?: string; charts: boolean }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const { data, isPending, error } = useQuery({
    queryKey: ['kpis', scope ?? 'own'],
    queryFn: () => api.get<KpisDto>(`/kpis${scope ? `?scope=${encodeURIComponent(scope)}` : ''}`),
  });
  const withCharts = (data?.indicators ?? []).filter((k) => k.trend || k.byCounty || k.byIndustry || k.bySchool);
  const [chosen, setChosen] = useState<string | null>(null);
  if (isPending) return <Loading />;
  if (error) return <Alert severity="warning">{errorMessage(error)}</Alert>;
  const current = withCharts.find((k) => k.key === chosen) ?? withCharts[0];
  // an enterprise's or a school's own figures: no plan target applies to one organisation
  const own = data.scope.kind === 'enterprise' || data.scope.kind === 'school';
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2 }} data-testid="kpi-board">
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'baseline', flexWrap: 'wrap' }}>
        <Typography variant="h6">
          {own ? `${data.scope.label} · ${translate('app.reporting.own_title')}` : translate('app.reporting.scope_title', { scope: data.scope.label })}
        </Typography>
        <Typography variant="caption" color="text.secondary">
          {translate('app.reporting.as_of', { time: formatDateTime(data.asOf) })}
        </Typography>
      </Stack>
      {/* a grid, not a wrapping row: a card alone on the last row keeps its column's width instead of stretching */}
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))', gap: 2 }}>
        {data.indicators.map((k) => (
          <KpiCard key={k.key} k={k} own={own} />
        ))}
      </Box>
      {charts && current && (
        <>
          <ToggleButtonGroup size="small" exclusive value={current.key} onChange={(_e, v: string | null) => v && setChosen(v)} sx={{ flexWrap: 'wrap' }}>
            {withCharts.map((k) => (
              <ToggleButton key={k.key} value={k.key}>
                {k.label}
              </ToggleButton>
            ))}
          </ToggleButtonGroup>
          <Charts k={current} />
        </>
      )}
    </Box>
  );
}
