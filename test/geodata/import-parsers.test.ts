/** The pure parts of the importer: CSV reading, CRS recognition, number parsing. No database. */
import { describe, it, expect } from 'vitest';
import { parseCsv, requireRectangular } from '../../geodata/import/read-csv.js';
import { epsgFromPrj, epsgFromCrsName } from '../../geodata/import/crs.js';
import { parseDecimal, isIsoDate } from '../../geodata/import/numbers.js';
import { ImportError } from '../../geodata/import/errors.js';

describe('parseCsv (RFC 4180)', () => {
  it('quotes, doubled quotes, delimiters and line breaks inside quotes, CRLF, BOM, blank lines', () => {
    const t = parseCsv(
      '\ufeffcode;name;note\r\n"0101";"Nord; Mitte";"sagt ""hallo"""\r\n\r\n0102;Süd;"zwei\nZeilen"\r\n',
      'x.csv',
    );
    expect(t.delimiter).toBe(';');
    expect(t.header).toEqual(['code', 'name', 'note']);
    expect(t.rows).toEqual([
      ['0101', 'Nord; Mitte', 'sagt "hallo"'],
      ['0102', 'Süd', 'zwei\nZeilen'],
    ]);
    expect(t.lines).toEqual([2, 4]);
  });

  it('detects , ; and tab, ignoring delimiters inside quoted header cells', () => {
    expect(parseCsv('a,b\n1,2', 'x').delimiter).toBe(',');
    expect(parseCsv('a\tb\n1\t2', 'x').delimiter).toBe('\t');
    expect(parseCsv('"a,1";"b,2";c\n1;2;3', 'x').delimiter).toBe(';');
  });

  it('keeps codes as text', () => {
    expect(parseCsv('code,v\n007,1.0\n', 'x').rows[0]).toEqual(['007', '1.0']);
  });

  it('an unclosed quote is an ImportError naming the row', () => {
    expect(() => parseCsv('a,b\n1,2\n"3,4\n', 'x.csv')).toThrow(
      /x\.csv, Zeile 2: das in Zeile 3 der Datei geöffnete Anführungszeichen wird nie geschlossen/,
    );
  });

  it('too many columns is an error, a trailing empty cell is not', () => {
    const ok = parseCsv('a,b\n1,2,\n', 'x');
    requireRectangular(ok, 'x');
    expect(ok.rows[0]).toEqual(['1', '2']);
    const bad = parseCsv('a,b\n1,2,3\n', 'x.csv');
    expect(() => requireRectangular(bad, 'x.csv')).toThrow(ImportError);
  });
});

describe('CRS recognition', () => {
  const esri = (
    name: string,
    geog: string,
    datum: string,
    spheroid: string,
    proj: string,
    params: Record<string, number>,
  ) =>
    `PROJCS["${name}",GEOGCS["${geog}",DATUM["${datum}",SPHEROID["${spheroid}",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["${proj}"],` +
    Object.entries(params)
      .map(([k, v]) => `PARAMETER["${k}",${v}]`)
      .join(',') +
    ',UNIT["Meter",1.0]]';
  const utm = (cm: number) => ({
    False_Easting: 500000,
    False_Northing: 0,
    Central_Meridian: cm,
    Scale_Factor: 0.9996,
    Latitude_Of_Origin: 0,
  });

  it('ESRI .prj without AUTHORITY', () => {
    expect(
      epsgFromPrj(
        esri('ETRS_1989_UTM_Zone_32N', 'GCS_ETRS_1989', 'D_ETRS_1989', 'GRS_1980', 'Transverse_Mercator', utm(9)),
      ),
    ).toBe(25832);
    expect(
      epsgFromPrj(
        esri('ETRS_1989_UTM_Zone_33N', 'GCS_ETRS_1989', 'D_ETRS_1989', 'GRS_1980', 'Transverse_Mercator', utm(15)),
      ),
    ).toBe(25833);
    expect(
      epsgFromPrj(
        esri('WGS_1984_UTM_Zone_32N', 'GCS_WGS_1984', 'D_WGS_1984', 'WGS_1984', 'Transverse_Mercator', utm(9)),
      ),
    ).toBe(32632);
    expect(
      epsgFromPrj(
        esri('WGS_1984_UTM_Zone_33N', 'GCS_WGS_1984', 'D_WGS_1984', 'WGS_1984', 'Transverse_Mercator', utm(15)),
      ),
    ).toBe(32633);
    expect(
      epsgFromPrj(
        esri(
          'DHDN_3_Degree_Gauss_Zone_3',
          'GCS_Deutsches_Hauptdreiecksnetz',
          'D_Deutsches_Hauptdreiecksnetz',
          'Bessel_1841',
          'Gauss_Kruger',
          {
            False_Easting: 3500000,
            False_Northing: 0,
            Central_Meridian: 9,
            Scale_Factor: 1,
            Latitude_Of_Origin: 0,
          },
        ),
      ),
    ).toBe(31467);
    expect(
      epsgFromPrj(
        esri('ETRS_1989_LAEA', 'GCS_ETRS_1989', 'D_ETRS_1989', 'GRS_1980', 'Lambert_Azimuthal_Equal_Area', {
          False_Easting: 4321000,
          False_Northing: 3210000,
          Central_Meridian: 10,
          Latitude_Of_Origin: 52,
        }),
      ),
    ).toBe(3035);
    expect(
      epsgFromPrj(
        esri(
          'WGS_1984_Web_Mercator_Auxiliary_Sphere',
          'GCS_WGS_1984',
          'D_WGS_1984',
          'WGS_1984',
          'Mercator_Auxiliary_Sphere',
          {
            False_Easting: 0,
            False_Northing: 0,
            Central_Meridian: 0,
            Standard_Parallel_1: 0,
            Auxiliary_Sphere_Type: 0,
          },
        ),
      ),
    ).toBe(3857);
    expect(
      epsgFromPrj(
        'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
      ),
    ).toBe(4326);
  });

  it('OGC WKT with a top-level AUTHORITY (nested ones are ignored)', () => {
    const wkt =
      'PROJCS["ETRS89 / UTM zone 32N",GEOGCS["ETRS89",DATUM["European_Terrestrial_Reference_System_1989",SPHEROID["GRS 1980",6378137,298.257222101,AUTHORITY["EPSG","7019"]],AUTHORITY["EPSG","6258"]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4258"]],PROJECTION["Transverse_Mercator"],PARAMETER["central_meridian",9],UNIT["metre",1],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","25832"]]';
    expect(epsgFromPrj(wkt)).toBe(25832);
  });

  it('unknown or malformed WKT gives undefined', () => {
    expect(
      epsgFromPrj('PROJCS["x",GEOGCS["y",DATUM["z",SPHEROID["s",1,2]]],PROJECTION["Stereographic"]]'),
    ).toBeUndefined();
    expect(epsgFromPrj('not wkt')).toBeUndefined();
  });

  it('legacy GeoJSON crs names', () => {
    expect(epsgFromCrsName('urn:ogc:def:crs:EPSG::25833')).toBe(25833);
    expect(epsgFromCrsName('urn:ogc:def:crs:EPSG:6.6:31467')).toBe(31467);
    expect(epsgFromCrsName('EPSG:3035')).toBe(3035);
    expect(epsgFromCrsName('urn:ogc:def:crs:OGC:1.3:CRS84')).toBe(4326);
    expect(epsgFromCrsName('http://www.opengis.net/def/crs/EPSG/0/25832')).toBe(25832);
    expect(epsgFromCrsName('something else')).toBeUndefined();
  });
});

describe('numbers', () => {
  it('parses strictly in both notations', () => {
    expect(parseDecimal('12.5', '.')).toBe(12.5);
    expect(parseDecimal('-1e3', '.')).toBe(-1000);
    expect(parseDecimal('12,5', '.')).toBeUndefined();
    expect(parseDecimal('12abc', '.')).toBeUndefined();
    expect(parseDecimal('', '.')).toBeUndefined();
    expect(parseDecimal('12,5', ',')).toBe(12.5);
    expect(parseDecimal('1.234.567,5', ',')).toBe(1234567.5);
    expect(parseDecimal('3.5', ',')).toBeUndefined(); // a dot that groups no thousands
    expect(parseDecimal(',', ',')).toBeUndefined();
  });
  it('dates', () => {
    expect(isIsoDate('2020-12-31')).toBe(true);
    expect(isIsoDate('2020-02-30')).toBe(false);
    expect(isIsoDate('31.12.2020')).toBe(false);
  });
});
