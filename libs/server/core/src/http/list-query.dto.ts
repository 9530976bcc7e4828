import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The three JSON query parameters of a list request (ra-data-simple-rest). */
export class ListQueryDto {
  @ApiPropertyOptional({ example: '["id","ASC"]', description: 'JSON [field, "ASC"|"DESC"]' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  sort?: string;

  @ApiPropertyOptional({ example: '[0,24]', description: 'JSON [first, last], inclusive' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  range?: string;

  @ApiPropertyOptional({ example: '{"q":"温州"}', description: 'JSON object of field filters' })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  filter?: string;
}
