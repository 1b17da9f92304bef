/* a self-contained library like the kernel image: no imports, relative relocations only */
static int x = 7;
int *volatile dce_seed_ptr = &x;
__attribute__((visibility("default"))) int dce_kernel_boot(void) { return *dce_seed_ptr; }
