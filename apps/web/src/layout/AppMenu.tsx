import ApartmentIcon from '@mui/icons-material/Apartment';
import BusinessIcon from '@mui/icons-material/Business';
import GroupIcon from '@mui/icons-material/Group';
import HistoryIcon from '@mui/icons-material/History';
import SettingsIcon from '@mui/icons-material/Settings';
import { Menu, usePermissions, useTranslate } from 'react-admin';
import { hasRole, isOrganisationManager, toRoles } from '../providers/access';

/**
 * The menu follows the user's roles (from /api/me). Items are plain links with their visible Chinese
 * text (browser tests find them by it): admin 机构管理 / 用户管理 / 系统设置 / 登录日志; reviewers 机构名录;
 * enterprise applicants and school admins 我的单位 / 本单位用户; everyone 首页.
 */
export function AppMenu() {
  const translate = useTranslate();
  const { permissions } = usePermissions();
  const roles = toRoles(permissions);
  const admin = hasRole(roles, 'admin');
  const reviewer = !admin && hasRole(roles, 'city_reviewer', 'county_reviewer');
  const manager = isOrganisationManager(roles);
  return (
    <Menu>
      <Menu.DashboardItem primaryText={translate('app.menu.dashboard')} />
      {admin && <Menu.Item to="/organisations" primaryText={translate('app.menu.organisations')} leftIcon={<BusinessIcon />} />}
      {admin && <Menu.Item to="/users" primaryText={translate('app.menu.users')} leftIcon={<GroupIcon />} />}
      {admin && <Menu.Item to="/settings" primaryText={translate('app.menu.settings')} leftIcon={<SettingsIcon />} />}
      {admin && <Menu.Item to="/login-events" primaryText={translate('app.menu.login_events')} leftIcon={<HistoryIcon />} />}
      {reviewer && <Menu.Item to="/organisations" primaryText={translate('app.menu.organisations_read')} leftIcon={<BusinessIcon />} />}
      {manager && <Menu.Item to="/my-organisation" primaryText={translate('app.menu.my_organisation')} leftIcon={<ApartmentIcon />} />}
      {manager && !admin && <Menu.Item to="/users" primaryText={translate('app.menu.my_users')} leftIcon={<GroupIcon />} />}
    </Menu>
  );
}
