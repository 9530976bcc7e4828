import { Alert, Autocomplete, Button, Card, CardContent, FormControlLabel, MenuItem, Radio, RadioGroup, Stack, TextField } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import type { EnterpriseChoiceDto, OrderClassDto } from '@portal/contracts';
import { useState } from 'react';
import { Title, useNavigate, useNotify, useTranslate } from 'react-admin';
import { errorMessage, usePortalApi } from '../../common/api';
import { majorChoices } from './shared';

/** 登记订单班: the class's name and its enterprise (registered, or invited by credit code and e-mail); the rest on the draft. */
export function OrderClassCreate() {
  const translate = useTranslate();
  const api = usePortalApi();
  const notify = useNotify();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [mode, setMode] = useState<'pick' | 'invite'>('pick');
  const [search, setSearch] = useState('');
  const [enterprise, setEnterprise] = useState<EnterpriseChoiceDto | null>(null);
  const [creditCode, setCreditCode] = useState('');
  const [email, setEmail] = useState('');
  const [majorCode, setMajorCode] = useState('');
  const [cohortYear, setCohortYear] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const choices = useQuery({
    queryKey: ['order-classes', 'enterprise-choices', search],
    queryFn: () => api.get<EnterpriseChoiceDto[]>(`/order-classes/enterprise-choices?q=${encodeURIComponent(search)}`),
    enabled: mode === 'pick',
  });
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const created = await api.post<OrderClassDto>('/order-classes', {
        name,
        ...(mode === 'pick' ? { enterpriseId: enterprise?.id } : { invitedCreditCode: creditCode.trim().toUpperCase(), invitedEmail: email.trim() }),
        ...(majorCode ? { majorCode } : {}),
        ...(cohortYear ? { cohortYear: Number(cohortYear) } : {}),
      });
      notify('app.oc.saved', { type: 'success' });
      navigate(`/order-classes/${created.id}/show`);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card sx={{ mt: 2, maxWidth: 760 }}>
      <Title title={translate('app.oc.create_title')} />
      <CardContent>
        <Stack spacing={2}>
          <Alert severity="info">{translate('app.oc.create_hint')}</Alert>
          <TextField
            label={translate('app.oc.name')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            slotProps={{ htmlInput: { maxLength: 100 } }}
          />
          <RadioGroup row value={mode} onChange={(e) => setMode(e.target.value as 'pick' | 'invite')}>
            <FormControlLabel value="pick" control={<Radio />} label={translate('app.oc.pick_registered')} />
            <FormControlLabel value="invite" control={<Radio />} label={translate('app.oc.invite')} />
          </RadioGroup>
          {mode === 'pick' ? (
            <Autocomplete
              options={choices.data ?? []}
              loading={choices.isFetching}
              value={enterprise}
              onChange={(_, v) => setEnterprise(v)}
              onInputChange={(_, v) => setSearch(v)}
              filterOptions={(x) => x}
              getOptionLabel={(o) => `${o.name}${o.creditCode ? `（${o.creditCode}）` : ''}`}
              isOptionEqualToValue={(a, b) => a.id === b.id}
              renderInput={(params) => <TextField {...params} label={translate('app.oc.enterprise_search')} required />}
            />
          ) : (
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
              <TextField
                label={translate('app.oc.invited_credit_code')}
                value={creditCode}
                onChange={(e) => setCreditCode(e.target.value)}
                required
                fullWidth
                slotProps={{ htmlInput: { maxLength: 18 } }}
              />
              <TextField label={translate('app.oc.invited_email')} value={email} onChange={(e) => setEmail(e.target.value)} required fullWidth type="email" />
            </Stack>
          )}
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
            <TextField select label={translate('app.oc.major')} value={majorCode} onChange={(e) => setMajorCode(e.target.value)} fullWidth>
              {majorChoices.map((m) => (
                <MenuItem key={m.id} value={m.id}>
                  {m.name}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              label={translate('app.oc.cohort_year')}
              value={cohortYear}
              onChange={(e) => setCohortYear(e.target.value.replace(/\D/g, ''))}
              slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 4 } }}
              sx={{ maxWidth: 200 }}
            />
          </Stack>
          {error && <Alert severity="error">{error}</Alert>}
          <Stack direction="row" spacing={1}>
            <Button
              variant="contained"
              onClick={() => void create()}
              disabled={busy || !name.trim() || (mode === 'pick' ? !enterprise : !creditCode || !email)}
            >
              {translate('app.oc.create')}
            </Button>
            <Button onClick={() => navigate('/order-classes')}>{translate('app.common.cancel')}</Button>
          </Stack>
        </Stack>
      </CardContent>
    </Card>
  );
}
