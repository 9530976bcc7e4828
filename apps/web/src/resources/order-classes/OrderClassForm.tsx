import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/Delete';
import { Alert, Box, Button, IconButton, MenuItem, Stack, TextField, Typography } from '@mui/material';
import type { OrderClassDto, OrderClassEmployment, OrderClassInternship, OrderClassMentor } from '@portal/contracts';
import { useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../../common/api';
import { majorChoices } from './shared';

const num = (v: string): number | null => (v.trim() === '' ? null : Number(v));
const text = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));

/**
 * The registration form (the school, while the class is a draft or returned): saved on the server as typed
 * (PUT with the version seen; a stale version is refused), checked again when submitted.
 */
export function OrderClassForm({ cls, onSaved }: { cls: OrderClassDto; onSaved: (c: OrderClassDto) => void }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const notify = useNotify();
  const [name, setName] = useState(cls.name);
  const [majorCode, setMajorCode] = useState(cls.majorCode ?? '');
  const [cohortYear, setCohortYear] = useState(text(cls.cohortYear));
  const [planned, setPlanned] = useState(text(cls.plannedHeadcount));
  const [termStart, setTermStart] = useState(cls.termStart ?? '');
  const [termEnd, setTermEnd] = useState(cls.termEnd ?? '');
  const [courses, setCourses] = useState(cls.courses);
  const [mentors, setMentors] = useState<OrderClassMentor[]>(cls.mentors);
  const [internship, setInternship] = useState<OrderClassInternship>(cls.internship);
  const [employment, setEmployment] = useState<OrderClassEmployment>(cls.employment);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const t = (k: string) => translate(`app.oc.${k}`);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const saved = await api.put<OrderClassDto>(`/order-classes/${cls.id}`, {
        dataVersion: cls.dataVersion,
        name,
        ...(majorCode ? { majorCode } : {}),
        ...(cohortYear ? { cohortYear: Number(cohortYear) } : {}),
        ...(planned ? { plannedHeadcount: Number(planned) } : {}),
        ...(termStart ? { termStart } : {}),
        ...(termEnd ? { termEnd } : {}),
        courses,
        mentors,
        internship,
        employment,
      });
      notify('app.oc.saved', { type: 'success' });
      onSaved(saved);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack spacing={2} data-testid="order-class-form">
      <TextField label={t('name')} value={name} onChange={(e) => setName(e.target.value)} size="small" />
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
        <TextField select label={t('major')} value={majorCode} onChange={(e) => setMajorCode(e.target.value)} size="small" fullWidth>
          {majorChoices.map((m) => (
            <MenuItem key={m.id} value={m.id}>
              {m.name}
            </MenuItem>
          ))}
        </TextField>
        <TextField label={t('cohort_year')} value={cohortYear} onChange={(e) => setCohortYear(e.target.value.replace(/\D/g, ''))} size="small" />
        <TextField label={t('planned')} value={planned} onChange={(e) => setPlanned(e.target.value.replace(/\D/g, ''))} size="small" />
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
            value={m.name}
            size="small"
            onChange={(e) => setMentors(mentors.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
          />
          <TextField
            label={t('mentor_title')}
            value={m.title}
            size="small"
            onChange={(e) => setMentors(mentors.map((x, j) => (j === i ? { ...x, title: e.target.value } : x)))}
          />
          <TextField
            label={t('mentor_years')}
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
            value={p.title}
            size="small"
            onChange={(e) => setEmployment({ ...employment, posts: employment.posts.map((x, j) => (j === i ? { ...x, title: e.target.value } : x)) })}
          />
          <TextField
            label={t('openings')}
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
          value={text(employment.salaryMinYuan)}
          size="small"
          onChange={(e) => setEmployment({ ...employment, salaryMinYuan: num(e.target.value.replace(/\D/g, '')) })}
        />
        <TextField
          label={t('salary_max')}
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
      {error && <Alert severity="error">{error}</Alert>}
      <Box>
        <Button variant="contained" onClick={() => void save()} disabled={busy}>
          {t('save_draft')}
        </Button>
      </Box>
    </Stack>
  );
}
