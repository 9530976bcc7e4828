import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/Delete';
import { Box, Button, IconButton, MenuItem, Stack, TextField, Typography } from '@mui/material';
import type { OrderClassDto, OrderClassEmployment, OrderClassInternship, OrderClassMentor } from '@portal/contracts';
import { useTranslate } from 'react-admin';
import { usePortalApi } from '../../common/api';
import { SaveIndicator, useAutosave, type SaveStatus } from '../../common/useAutosave';
import { majorChoices } from './shared';

const num = (v: string): number | null => (v.trim() === '' ? null : Number(v));
const text = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

interface Draft {
  name: string;
  majorCode: string;
  cohortYear: string;
  planned: string;
  termStart: string;
  termEnd: string;
  courses: string;
  mentors: OrderClassMentor[];
  internship: OrderClassInternship;
  employment: OrderClassEmployment;
}

const fromClass = (c: OrderClassDto): Draft => ({
  name: c.name,
  majorCode: c.majorCode ?? '',
  cohortYear: text(c.cohortYear),
  planned: text(c.plannedHeadcount),
  termStart: c.termStart ?? '',
  termEnd: c.termEnd ?? '',
  courses: c.courses,
  mentors: c.mentors.map((m) => ({ ...m })),
  internship: { ...c.internship },
  employment: { ...c.employment, posts: c.employment.posts.map((p) => ({ ...p })) },
});

/** The body of PUT /order-classes/:id (without dataVersion): fields left empty are not sent. */
const toBody = (d: Draft) => ({
  name: d.name.trim(),
  ...(d.majorCode ? { majorCode: d.majorCode } : {}),
  ...(d.cohortYear ? { cohortYear: Number(d.cohortYear) } : {}),
  ...(d.planned ? { plannedHeadcount: Number(d.planned) } : {}),
  ...(d.termStart ? { termStart: d.termStart } : {}),
  ...(d.termEnd ? { termEnd: d.termEnd } : {}),
  courses: d.courses,
  mentors: d.mentors.map((m) => ({ ...m, name: m.name.trim(), title: m.title.trim() })),
  internship: d.internship,
  employment: { ...d.employment, posts: d.employment.posts.map((p) => ({ ...p, title: p.title.trim() })) },
});

const between = (v: number | null | undefined, min: number, max: number) => v === null || v === undefined || (Number.isInteger(v) && v >= min && v <= max);

/**
 * What the server would refuse (UpdateOrderClassDto), keyed by field ('mentors.0.name', 'posts.1.title'…), found
 * before sending so that autosave never stores a half-typed mentor or post.
 */
export function orderClassProblems(d: Draft): Record<string, string> {
  const out: Record<string, string> = {};
  const name = d.name.trim();
  if (name.length < 2 || name.length > 100) out.name = '名称应为 2–100 字';
  if (d.cohortYear && !between(Number(d.cohortYear), 2000, 2100)) out.cohortYear = '年级应在 2000–2100 之间';
  if (d.planned && !between(Number(d.planned), 1, 5000)) out.planned = '计划人数应在 1–5000 之间';
  if (d.termStart && d.termEnd && d.termEnd <= d.termStart) out.termEnd = '应晚于开始日期';
  d.mentors.forEach((m, i) => {
    if (m.name.trim().length === 0) out[`mentors.${i}.name`] = '请填写导师姓名';
    if (m.name.trim().length > 40) out[`mentors.${i}.name`] = '不超过 40 字';
    if (m.title.trim().length > 60) out[`mentors.${i}.title`] = '不超过 60 字';
    if (!between(m.years, 0, 60)) out[`mentors.${i}.years`] = '应在 0–60 之间';
  });
  if (!between(d.internship.months, 0, 36)) out.months = '应在 0–36 之间';
  if (!between(d.internship.coverageYuan, 0, 100_000_000)) out.coverage = '保额过大';
  d.employment.posts.forEach((p, i) => {
    if (p.title.trim().length === 0) out[`posts.${i}.title`] = '请填写岗位名称';
    if (p.title.trim().length > 60) out[`posts.${i}.title`] = '不超过 60 字';
    if (!between(p.openings, 1, 10_000)) out[`posts.${i}.openings`] = '应在 1–10000 之间';
  });
  if (!between(d.employment.salaryMinYuan, 0, 1_000_000)) out.salaryMin = '应在 0–1000000 之间';
  if (!between(d.employment.salaryMaxYuan, 0, 1_000_000)) out.salaryMax = '应在 0–1000000 之间';
  return out;
}

/**
 * The registration form (the school, while the class is a draft or returned), saved on the server as it is typed
 * with the certification form's mechanism (useAutosave: debounced PUT with the version seen, one save at a time,
 * a stale version reloads); checked again when submitted.
 */
export function OrderClassForm({
  cls,
  onSaved,
  onStatus,
}: {
  cls: OrderClassDto;
  onSaved: (c: OrderClassDto) => void;
  onStatus?: (status: SaveStatus) => void;
}) {
  const translate = useTranslate();
  const api = usePortalApi();
  const { draft, update, status, error, showProblems } = useAutosave<Draft, OrderClassDto>({
    record: cls,
    fromRecord: fromClass,
    save: (d, dataVersion) => api.put<OrderClassDto>(`/order-classes/${cls.id}`, { dataVersion, ...toBody(d) }),
    reload: () => api.get<OrderClassDto>(`/order-classes/${cls.id}`),
    isValid: (d) => Object.keys(orderClassProblems(d)).length === 0,
    onSaved,
    onStatus,
  });
  const { name, majorCode, cohortYear, planned, termStart, termEnd, courses, mentors, internship, employment } = draft;
  const set = (patch: Partial<Draft>) => update({ ...draft, ...patch });
  const setName = (v: string) => set({ name: v });
  const setMajorCode = (v: string) => set({ majorCode: v });
  const setCohortYear = (v: string) => set({ cohortYear: v });
  const setPlanned = (v: string) => set({ planned: v });
  const setTermStart = (v: string) => set({ termStart: v });
  const setTermEnd = (v: string) => set({ termEnd: v });
  const setCourses = (v: string) => set({ courses: v });
  const setMentors = (v: OrderClassMentor[]) => set({ mentors: v });
  const setInternship = (v: OrderClassInternship) => set({ internship: v });
  const setEmployment = (v: OrderClassEmployment) => set({ employment: v });
  const problems = orderClassProblems(draft);
  // a field is marked once a draft was held back for it (as the certification form does)
  const problem = (key: string) => (showProblems ? problems[key] : undefined);
  const err = (key: string) => ({ error: !!problem(key), helperText: problem(key) });
  const t = (k: string) => translate(`app.oc.${k}`);

  return (
    <Stack spacing={2} data-testid="order-class-form">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Typography variant="body2" color="text.secondary" sx={{ flex: 1 }}>
          {t('autosave_hint')}
        </Typography>
        <SaveIndicator status={status} error={error} invalidText={t('autosave_invalid')} />
      </Stack>
      <TextField label={t('name')} {...err('name')} value={name} onChange={(e) => setName(e.target.value)} size="small" />
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
        <TextField select label={t('major')} value={majorCode} onChange={(e) => setMajorCode(e.target.value)} size="small" fullWidth>
          {majorChoices.map((m) => (
            <MenuItem key={m.id} value={m.id}>
              {m.name}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label={t('cohort_year')}
          {...err('cohortYear')}
          value={cohortYear}
          onChange={(e) => setCohortYear(e.target.value.replace(/\D/g, ''))}
          size="small"
        />
        <TextField label={t('planned')} {...err('planned')} value={planned} onChange={(e) => setPlanned(e.target.value.replace(/\D/g, ''))} size="small" />
      </Stack>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
        <TextField
          type="date"
          label={t('term_start')}
          value={termStart}
          onChange={(e) => setTermStart(e.target.value)}
          size="small"
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField
          type="date"
          label={t('term_end')}
          {...err('termEnd')}
          value={termEnd}
          onChange={(e) => setTermEnd(e.target.value)}
          size="small"
          slotProps={{ inputLabel: { shrink: true } }}
        />
      </Stack>
      <TextField label={t('courses')} value={courses} onChange={(e) => setCourses(e.target.value)} multiline minRows={3} size="small" />

      <Typography variant="subtitle2">{t('mentors')}</Typography>
      {mentors.map((m, i) => (
        <Stack key={i} direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <TextField
            label={t('mentor_name')}
            {...err(`mentors.${i}.name`)}
            value={m.name}
            size="small"
            onChange={(e) => setMentors(mentors.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
          />
          <TextField
            label={t('mentor_title')}
            {...err(`mentors.${i}.title`)}
            value={m.title}
            size="small"
            onChange={(e) => setMentors(mentors.map((x, j) => (j === i ? { ...x, title: e.target.value } : x)))}
          />
          <TextField
            label={t('mentor_years')}
            {...err(`mentors.${i}.years`)}
            value={text(m.years)}
            size="small"
            sx={{ width: 120, flexShrink: 0 }}
            onChange={(e) => setMentors(mentors.map((x, j) => (j === i ? { ...x, years: num(e.target.value.replace(/\D/g, '')) } : x)))}
          />
          <IconButton aria-label={translate('app.common.delete')} onClick={() => setMentors(mentors.filter((_, j) => j !== i))}>
            <DeleteIcon />
          </IconButton>
        </Stack>
      ))}
      <Box>
        <Button size="small" startIcon={<AddIcon />} onClick={() => setMentors([...mentors, { name: '', title: '', years: null }])}>
          {t('add_mentor')}
        </Button>
      </Box>

      <Typography variant="subtitle2">{t('internship')}</Typography>
      <TextField
        label={t('arrangement')}
        value={internship.arrangement}
        onChange={(e) => setInternship({ ...internship, arrangement: e.target.value })}
        multiline
        minRows={2}
        size="small"
      />
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
        <TextField
          label={t('months')}
          {...err('months')}
          value={text(internship.months)}
          size="small"
          onChange={(e) => setInternship({ ...internship, months: num(e.target.value.replace(/\D/g, '')) })}
        />
        <TextField label={t('insurer')} value={internship.insurer} size="small" onChange={(e) => setInternship({ ...internship, insurer: e.target.value })} />
        <TextField
          label={t('policy_no')}
          value={internship.policyNo}
          size="small"
          onChange={(e) => setInternship({ ...internship, policyNo: e.target.value })}
        />
        <TextField
          label={t('coverage')}
          {...err('coverage')}
          value={text(internship.coverageYuan)}
          size="small"
          onChange={(e) => setInternship({ ...internship, coverageYuan: num(e.target.value.replace(/\D/g, '')) })}
        />
      </Stack>

      <Typography variant="subtitle2">{t('employment')}</Typography>
      {employment.posts.map((p, i) => (
        <Stack key={i} direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <TextField
            label={t('post_title')}
            {...err(`posts.${i}.title`)}
            value={p.title}
            size="small"
            onChange={(e) => setEmployment({ ...employment, posts: employment.posts.map((x, j) => (j === i ? { ...x, title: e.target.value } : x)) })}
          />
          <TextField
            label={t('openings')}
            {...err(`posts.${i}.openings`)}
            value={text(p.openings)}
            size="small"
            sx={{ width: 120, flexShrink: 0 }}
            onChange={(e) =>
              setEmployment({
                ...employment,
                posts: employment.posts.map((x, j) => (j === i ? { ...x, openings: Number(e.target.value.replace(/\D/g, '') || 0) } : x)),
              })
            }
          />
          <IconButton
            aria-label={translate('app.common.delete')}
            onClick={() => setEmployment({ ...employment, posts: employment.posts.filter((_, j) => j !== i) })}
          >
            <DeleteIcon />
          </IconButton>
        </Stack>
      ))}
      <Box>
        <Button size="small" startIcon={<AddIcon />} onClick={() => setEmployment({ ...employment, posts: [...employment.posts, { title: '', openings: 1 }] })}>
          {t('add_post')}
        </Button>
      </Box>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
        <TextField
          label={t('salary_min')}
          {...err('salaryMin')}
          value={text(employment.salaryMinYuan)}
          size="small"
          onChange={(e) => setEmployment({ ...employment, salaryMinYuan: num(e.target.value.replace(/\D/g, '')) })}
        />
        <TextField
          label={t('salary_max')}
          {...err('salaryMax')}
          value={text(employment.salaryMaxYuan)}
          size="small"
          onChange={(e) => setEmployment({ ...employment, salaryMaxYuan: num(e.target.value.replace(/\D/g, '')) })}
        />
        <TextField
          label={t('employment_note')}
          value={employment.note}
          size="small"
          fullWidth
          onChange={(e) => setEmployment({ ...employment, note: e.target.value })}
        />
      </Stack>
    </Stack>
  );
}
