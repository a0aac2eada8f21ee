// Errors inside the engine are errno values, as in the kernel. At the edges they become
// messages ("Address already in use (EADDRINUSE)") or iproute2's error texts.

export enum Errno {
  EPERM = 1,
  ENOENT = 2,
  ESRCH = 3,
  EINTR = 4,
  EIO = 5,
  ENXIO = 6,
  E2BIG = 7,
  EBADF = 9,
  EAGAIN = 11,
  ENOMEM = 12,
  EACCES = 13,
  EFAULT = 14,
  EBUSY = 16,
  EEXIST = 17,
  ENODEV = 19,
  ENOTDIR = 20,
  EISDIR = 21,
  EINVAL = 22,
  ENFILE = 23,
  EMFILE = 24,
  ENOTTY = 25,
  ENOSPC = 28,
  ERANGE = 34,
  EPROTO = 71,
  ENOPROTOOPT = 92,
  EPROTONOSUPPORT = 93,
  ESOCKTNOSUPPORT = 94,
  EOPNOTSUPP = 95,
  EAFNOSUPPORT = 97,
  EADDRINUSE = 98,
  EADDRNOTAVAIL = 99,
  ENETDOWN = 100,
  ENETUNREACH = 101,
  ENOBUFS = 105,
  EISCONN = 106,
  ENOTCONN = 107,
  EHOSTUNREACH = 113,
}

/** strerror() texts (glibc). */
export const STRERROR: Readonly<Record<number, string>> = {
  [Errno.EPERM]: 'Operation not permitted',
  [Errno.ENOENT]: 'No such file or directory',
  [Errno.ESRCH]: 'No such process',
  [Errno.EINTR]: 'Interrupted system call',
  [Errno.EIO]: 'Input/output error',
  [Errno.ENXIO]: 'No such device or address',
  [Errno.E2BIG]: 'Argument list too long',
  [Errno.EBADF]: 'Bad file descriptor',
  [Errno.EAGAIN]: 'Resource temporarily unavailable',
  [Errno.ENOMEM]: 'Cannot allocate memory',
  [Errno.EACCES]: 'Permission denied',
  [Errno.EFAULT]: 'Bad address',
  [Errno.EBUSY]: 'Device or resource busy',
  [Errno.EEXIST]: 'File exists',
  [Errno.ENODEV]: 'No such device',
  [Errno.ENOTDIR]: 'Not a directory',
  [Errno.EISDIR]: 'Is a directory',
  [Errno.EINVAL]: 'Invalid argument',
  [Errno.ENFILE]: 'Too many open files in system',
  [Errno.EMFILE]: 'Too many open files',
  [Errno.ENOTTY]: 'Inappropriate ioctl for device',
  [Errno.ENOSPC]: 'No space left on device',
  [Errno.ERANGE]: 'Numerical result out of range',
  [Errno.EPROTO]: 'Protocol error',
  [Errno.ENOPROTOOPT]: 'Protocol not available',
  [Errno.EPROTONOSUPPORT]: 'Protocol not supported',
  [Errno.ESOCKTNOSUPPORT]: 'Socket type not supported',
  [Errno.EOPNOTSUPP]: 'Operation not supported',
  [Errno.EAFNOSUPPORT]: 'Address family not supported by protocol',
  [Errno.EADDRINUSE]: 'Address already in use',
  [Errno.EADDRNOTAVAIL]: 'Cannot assign requested address',
  [Errno.ENETDOWN]: 'Network is down',
  [Errno.ENETUNREACH]: 'Network is unreachable',
  [Errno.ENOBUFS]: 'No buffer space available',
  [Errno.EISCONN]: 'Transport endpoint is already connected',
  [Errno.ENOTCONN]: 'Transport endpoint is not connected',
  [Errno.EHOSTUNREACH]: 'No route to host',
};

export function strerror(e: Errno): string {
  return STRERROR[e] ?? `Unknown error ${e}`;
}

/** A kernel function's negative return, carried as an exception inside the engine. */
export class KernelError extends Error {
  constructor(
    readonly errno: Errno,
    /** Extended ack text (NL_SET_ERR_MSG), when the kernel gives one. */
    readonly extack?: string,
  ) {
    super(extack ?? `${strerror(errno)} (${Errno[errno]})`);
    this.name = 'KernelError';
  }
}

/** "setsockopt(MRT_ADD_VIF): Address already in use (EADDRINUSE)" */
export function formatOSError(call: string, e: Errno): string {
  return `${call}: ${strerror(e)} (${Errno[e]})`;
}
