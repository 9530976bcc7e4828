import type { OrganisationKind, Role } from './roles.js';

export interface OrganisationDto {
  id: number;
  kind: OrganisationKind;
  name: string;
  creditCode: string | null;
  countyCode: string | null;
  industry: string | null;
  schoolType: string | null;
  authorityType: string | null;
  address: string | null;
  contactName: string | null;
  contactPhone: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface UserDto {
  id: number;
  username: string;
  displayName: string;
  organisationId: number;
  roles: Role[];
  /** A county code for county-scoped roles; null means city-wide. */
  jurisdiction: string | null;
  email: string | null;
  phone: string | null;
  active: boolean;
  lockedUntil: string | null;
  createdAt: string;
}

export interface MeDto extends UserDto {
  organisation: Pick<OrganisationDto, 'id' | 'name' | 'kind' | 'countyCode'>;
}

export interface LoginResponse {
  token: string;
  expiresAt: string;
}
