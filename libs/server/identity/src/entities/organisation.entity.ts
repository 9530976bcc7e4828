import type { OrganisationDto, OrganisationKind } from '@portal/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('organisations')
export class OrganisationEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'text' })
  kind: OrganisationKind;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  creditCode: string | null;

  @Column({ type: 'text', nullable: true })
  countyCode: string | null;

  @Column({ type: 'text', nullable: true })
  industry: string | null;

  @Column({ type: 'text', nullable: true })
  schoolType: string | null;

  @Column({ type: 'text', nullable: true })
  authorityType: string | null;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ type: 'text', nullable: true })
  contactName: string | null;

  @Column({ type: 'text', nullable: true })
  contactPhone: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

export function toOrganisationDto(o: OrganisationEntity): OrganisationDto {
  return {
    id: o.id,
    kind: o.kind,
    name: o.name,
    creditCode: o.creditCode,
    countyCode: o.countyCode,
    industry: o.industry,
    schoolType: o.schoolType,
    authorityType: o.authorityType,
    address: o.address,
    contactName: o.contactName,
    contactPhone: o.contactPhone,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}
