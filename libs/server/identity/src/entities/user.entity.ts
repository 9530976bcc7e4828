import { maskPhone, type MeDto, type Role, type UserDto } from '@portal/contracts';
import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { OrganisationEntity } from './organisation.entity.js';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'text' })
  username: string;

  @Column({ type: 'text' })
  displayName: string;

  @Column({ type: 'text', select: false })
  passwordHash: string;

  @Column({ type: 'integer' })
  organisationId: number;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: OrganisationEntity;

  @Column({ type: 'text', array: true })
  roles: Role[];

  @Column({ type: 'text', nullable: true })
  jurisdiction: string | null;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'integer', default: 0 })
  failedLogins: number;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @Column({ type: 'integer', default: 0 })
  tokenVersion: number;

  @Column({ type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A user as the users endpoints answer: the phone masked (personal data; the user's own /api/me has it whole). */
export function toUserDto(
  u: Pick<
    UserEntity,
    'id' | 'username' | 'displayName' | 'organisationId' | 'roles' | 'jurisdiction' | 'email' | 'phone' | 'active' | 'lockedUntil' | 'createdAt'
  >,
): UserDto {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    organisationId: u.organisationId,
    roles: u.roles,
    jurisdiction: u.jurisdiction,
    email: u.email,
    phoneMasked: u.phone ? maskPhone(u.phone) : null,
    active: u.active,
    lockedUntil: u.lockedUntil && u.lockedUntil > new Date() ? u.lockedUntil.toISOString() : null,
    createdAt: u.createdAt.toISOString(),
  };
}

/** The user's own record (/api/me): their phone whole, as they entered it. */
export function toOwnUserDto(u: Parameters<typeof toUserDto>[0]): Omit<MeDto, 'organisation'> {
  return { ...toUserDto(u), phone: u.phone };
}
