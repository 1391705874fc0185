// Writing files: the one guarded function, its rules, and the temporary-file name.
export * from './guard';
export * from './temp';
