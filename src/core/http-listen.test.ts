import { describe, expect, it } from 'vitest';
import { formatHttpListen, httpListenFor, parseHttpListenConfig, parseHttpPortFlag } from './http-listen.js';

describe('http.listen and --http-port', () => {
  it('binds 127.0.0.1 unless a host is given', () => {
    expect(parseHttpListenConfig('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseHttpListenConfig('0.0.0.0:9464')).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(parseHttpListenConfig('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(parseHttpListenConfig('metrics.local:0')).toEqual({ host: 'metrics.local', port: 0 });
    expect(parseHttpListenConfig('')).toBeUndefined();
  });

  it.each(['localhost', ':9464', '127.0.0.1:65536', '127.0.0.1:-1', 'a b:1', '127.0.0.1:94x'])('refuses %s naming the config', (value) => {
    expect(() => parseHttpListenConfig(value)).toThrow(/^http\.listen must be \[host:\]port with a port between 0 and 65535/);
  });

  it('takes the port of the flag and the host of the config', () => {
    expect(parseHttpPortFlag('9464')).toBe(9464);
    expect(() => parseHttpPortFlag('x')).toThrow('invalid --http-port "x"');
    expect(() => parseHttpPortFlag('70000')).toThrow('invalid --http-port "70000"');
    expect(httpListenFor(undefined, undefined)).toBeUndefined();
    expect(httpListenFor('0.0.0.0:1', 2)).toEqual({ host: '0.0.0.0', port: 2 });
    expect(httpListenFor(undefined, 2)).toEqual({ host: '127.0.0.1', port: 2 });
    expect(formatHttpListen({ host: '::1', port: 5 })).toBe('[::1]:5');
  });
});
