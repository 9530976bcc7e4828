import CampaignIcon from '@mui/icons-material/Campaign';
import { Alert, Box, Button, Card, CardContent, Chip, CircularProgress, Collapse, Container, Stack, TextField, Typography } from '@mui/material';
import { countyName, INDUSTRIES, type PublicityNoticeDto } from '@portal/contracts';
import { useEffect, useState } from 'react';
import { Link, useTranslate } from 'react-admin';
import { formatDate } from '../common/format';
import { apiFetch, ApiError } from '../providers/session';
import { AUTH_BACKGROUND } from './AuthShell';

type Notice = PublicityNoticeDto;

type FieldErrors = Partial<Record<'name' | 'phone' | 'idNumber' | 'content', string>>;

function ObjectionForm({ notice, onDone }: { notice: Notice; onDone: () => void }) {
  const translate = useTranslate();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const [content, setContent] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const validate = (): FieldErrors => {
    const e: FieldErrors = {};
    if (name.trim().length < 2 || name.trim().length > 30) e.name = translate('app.publicity.bad_name');
    if (!/^[0-9+\-() ]{5,30}$/.test(phone.trim())) e.phone = translate('app.validation.phone');
    if (idNumber.trim() && !/^\d{17}[\dXx]$/.test(idNumber.trim())) e.idNumber = translate('app.publicity.bad_id');
    if (content.trim().length < 10 || content.trim().length > 2000) e.content = translate('app.publicity.bad_content');
    return e;
  };

  const submit = async () => {
    const e = validate();
    setErrors(e);
    if (Object.keys(e).length) return;
    setBusy(true);
    setError(null);
    try {
      await apiFetch(`/publicity-notices/${notice.id}/objections`, {
        method: 'POST',
        auth: false,
        json: { name: name.trim(), phone: phone.trim(), ...(idNumber.trim() ? { idNumber: idNumber.trim().toUpperCase() } : {}), content: content.trim() },
      });
      setDone(true);
    } catch (err) {
      const body = err instanceof ApiError ? (err.body as { details?: Array<{ field: string; messages: string[] }> } | null) : null;
      if (Array.isArray(body?.details)) {
        const fe: FieldErrors = {};
        for (const d of body.details) if (['name', 'phone', 'idNumber', 'content'].includes(d.field)) fe[d.field as keyof FieldErrors] = d.messages.join('，');
        setErrors(fe);
      }
      setError(err instanceof Error ? err.message : translate('app.publicity.failed'));
    } finally {
      setBusy(false);
    }
  };

  if (done)
    return (
      <Alert severity="success" action={<Button onClick={onDone}>{translate('app.common.close')}</Button>} data-testid="objection-done">
        {translate('app.publicity.submitted')}
      </Alert>
    );
  return (
    <Box
      component="form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      sx={{ mt: 1.5, p: 2, bgcolor: 'grey.50', borderRadius: 1 }}
    >
      <Typography variant="subtitle2" gutterBottom>
        {translate('app.publicity.form_title', { name: notice.enterpriseName })}
      </Typography>
      <Typography variant="caption" color="text.secondary" component="p" sx={{ mb: 1.5 }}>
        {translate('app.publicity.form_hint')}
      </Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr 1fr' }, gap: 1.5 }}>
        <TextField
          size="small"
          label={translate('app.publicity.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          error={!!errors.name}
          helperText={errors.name}
          slotProps={{ htmlInput: { maxLength: 30 } }}
        />
        <TextField
          size="small"
          label={translate('app.publicity.phone')}
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          required
          error={!!errors.phone}
          helperText={errors.phone}
          slotProps={{ htmlInput: { maxLength: 30, inputMode: 'tel' } }}
        />
        <TextField
          size="small"
          label={translate('app.publicity.id_number')}
          value={idNumber}
          onChange={(e) => setIdNumber(e.target.value)}
          error={!!errors.idNumber}
          helperText={errors.idNumber ?? translate('app.publicity.id_hint')}
          slotProps={{ htmlInput: { maxLength: 18 } }}
        />
        <TextField
          size="small"
          label={translate('app.publicity.content')}
          value={content}
          onChange={(e) => setContent(e.target.value)}
          required
          multiline
          minRows={4}
          error={!!errors.content}
          helperText={errors.content ?? `${content.trim().length} / 2000`}
          sx={{ gridColumn: '1 / -1' }}
          slotProps={{ htmlInput: { maxLength: 2000 } }}
        />
      </Box>
      {error && (
        <Alert severity="error" sx={{ mt: 1.5 }}>
          {error}
        </Alert>
      )}
      <Stack direction="row" spacing={1} sx={{ mt: 1.5, justifyContent: 'flex-end' }}>
        <Button onClick={onDone} disabled={busy}>
          {translate('app.common.cancel')}
        </Button>
        <Button type="submit" variant="contained" disabled={busy}>
          {busy ? <CircularProgress size={18} color="inherit" /> : translate('app.publicity.submit')}
        </Button>
      </Stack>
    </Box>
  );
}

/**
 * 公示公告 (public, no login): the enterprises proposed for certification now under notice, each with a
 * real-name objection form (name, phone, optional ID number, content).
 */
export function PublicityPage() {
  const translate = useTranslate();
  const [notices, setNotices] = useState<Notice[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  useEffect(() => {
    document.title = `${translate('app.publicity.title')} - ${translate('app.title')}`;
    apiFetch<Notice[]>('/publicity-notices', { auth: false })
      .then(setNotices)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [translate]);
  return (
    <Box sx={{ minHeight: '100vh', bgcolor: 'background.default' }}>
      <Box sx={{ backgroundImage: AUTH_BACKGROUND, color: '#fff', py: { xs: 3, md: 5 } }}>
        <Container maxWidth="md">
          <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center' }}>
            <CampaignIcon fontSize="large" />
            <Box sx={{ flex: 1 }}>
              <Typography variant="h5" component="h1" sx={{ fontWeight: 700, letterSpacing: '0.06em' }}>
                {translate('app.publicity.title')}
              </Typography>
              <Typography variant="body2" sx={{ opacity: 0.9 }}>
                {translate('app.title')} · {translate('app.publicity.subtitle')}
              </Typography>
            </Box>
            <Link to="/login" sx={{ color: '#fff', textDecoration: 'underline' }}>
              {translate('app.publicity.login')}
            </Link>
          </Stack>
        </Container>
      </Box>
      <Container maxWidth="md" sx={{ py: 3 }}>
        <Alert severity="info" sx={{ mb: 2 }}>
          {translate('app.publicity.intro')}
        </Alert>
        {error && <Alert severity="error">{error}</Alert>}
        {!notices && !error && <CircularProgress />}
        {notices && notices.length === 0 && (
          <Card>
            <CardContent>
              <Typography color="text.secondary">{translate('app.publicity.none')}</Typography>
            </CardContent>
          </Card>
        )}
        <Stack spacing={2}>
          {(notices ?? []).map((n) => (
            <Card key={n.id} data-testid="publicity-notice">
              <CardContent>
                <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
                  <Typography variant="h6" component="h2" sx={{ flex: 1, minWidth: 200 }}>
                    {n.enterpriseName}
                  </Typography>
                  <Chip
                    size="small"
                    variant="outlined"
                    label={translate('app.publicity.starts', { date: formatDate(n.noticeStartsAt) })}
                    data-testid="publicity-starts"
                  />
                  {n.noticeEndsAt && <Chip color="warning" size="small" label={translate('app.publicity.ends', { date: formatDate(n.noticeEndsAt) })} />}
                </Stack>
                <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr 1fr', sm: 'repeat(4, auto)' }, gap: 1.5, mt: 1, justifyContent: 'start' }}>
                  <Typography variant="body2" color="text.secondary">
                    {translate('app.publicity.credit_code')}：<span style={{ fontFamily: 'monospace' }}>{n.creditCode}</span>
                  </Typography>
                  <Typography variant="body2" color="text.secondary">
                    {translate('app.publicity.county')}：{countyName(n.countyCode) ?? '—'}
                  </Typography>
                  <Typography variant="body2" color="text.secondary">
                    {translate('app.publicity.industry')}：{INDUSTRIES.find((i) => i.code === n.industry)?.name ?? '—'}
                  </Typography>
                  <Typography variant="body2" color="text.secondary">
                    {translate('app.publicity.year', { year: n.year })}
                  </Typography>
                </Box>
                {openId !== n.id && (
                  <Button sx={{ mt: 1.5 }} variant="outlined" size="small" onClick={() => setOpenId(n.id)}>
                    {translate('app.publicity.object')}
                  </Button>
                )}
                <Collapse in={openId === n.id} unmountOnExit>
                  <ObjectionForm notice={n} onDone={() => setOpenId(null)} />
                </Collapse>
              </CardContent>
            </Card>
          ))}
        </Stack>
        <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mt: 3, textAlign: 'center' }}>
          {translate('app.publicity.footer')}
        </Typography>
      </Container>
    </Box>
  );
}
