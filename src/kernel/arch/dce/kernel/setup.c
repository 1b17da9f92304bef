// SPDX-License-Identifier: GPL-2.0
/* Machine setup: RAM is one block from the host allocator, randomness comes from
 * the scenario seed (trusted like a bootloader's), there is nothing to probe. */
#include <linux/delay.h>
#include <linux/init.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/netdevice.h>
#include <linux/pfn.h>
#include <linux/random.h>
#include <linux/sched/task.h>
#include <asm/dce.h>
#include <asm/sections.h>
#include <asm/setup.h>

#define DCE_DEFAULT_RAM (32UL << 20)

unsigned long memory_start;
unsigned long memory_end;
unsigned long dce_pfn_offset;
void *empty_zero_page;

void dce_console_init(void);

static void __init dce_memory_init(void)
{
	unsigned long size = dce_boot_params.ram_bytes ?: DCE_DEFAULT_RAM;
	unsigned long max_zone_pfn[MAX_NR_ZONES] = { 0 };
	void *ram;

	size &= PAGE_MASK;
	ram = dce_host.mem_alloc(dce_host.ctx, size, PAGE_SIZE);
	if (!ram)
		panic("dce: the host gave no RAM (%lu bytes)", size);
	memory_start = (unsigned long)ram;
	memory_end = memory_start + size;
	dce_pfn_offset = PFN_DOWN(memory_start);
	min_low_pfn = PFN_DOWN(memory_start);
	max_low_pfn = max_pfn = PFN_DOWN(memory_end);
	max_mapnr = max_pfn - min_low_pfn;
	high_memory = (void *)memory_end;

	memblock_add(memory_start, size);
	empty_zero_page = memblock_alloc(PAGE_SIZE, PAGE_SIZE);
	if (!empty_zero_page)
		panic("dce: no memory for the zero page");

	max_zone_pfn[ZONE_NORMAL] = max_pfn;
	free_area_init(max_zone_pfn);
}

/* splitmix64: spreads the 64-bit seed over the 256 bits the RNG wants. */
static u64 __init dce_seed_next(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void __init dce_random_init(void)
{
	u64 state = dce_boot_params.seed;
	u64 seed[4];
	int i;

	for (i = 0; i < ARRAY_SIZE(seed); i++)
		seed[i] = dce_seed_next(&state);
	add_bootloader_randomness(seed, sizeof(seed));
	memzero_explicit(seed, sizeof(seed));
}

/* The tunnel drivers (ipip, ip_gre, ip6_tunnel, ip6_gre) register fallback devices
 * (tunl0, gre0, gretap0, erspan0, ip6tnl0, ip6gre0) when they initialise, before
 * the host adds eth0: a node would list six devices nobody made and eth0 would not
 * be ifindex 2. None are made (fb_tunnels_only_for_init_net = 2), unless the
 * command line says "dce.fb_tunnels" (then `ip tunnel add`, whose ioctls go
 * through them, works; `ip link add ... type gre` never needs them). */
static int __init dce_fb_tunnels(char *arg)
{
#ifdef CONFIG_SYSCTL
	sysctl_fb_tunnels_only_for_init_net = 0;
#endif
	return 0;
}
early_param("dce.fb_tunnels", dce_fb_tunnels);

void __init setup_arch(char **cmdline_p)
{
#ifdef CONFIG_SYSCTL
	sysctl_fb_tunnels_only_for_init_net = 2;
#endif
	*cmdline_p = boot_command_line;
	dce_console_init();
	dce_memory_init();
	dce_random_init();
	/* Calibrating the delay loop would wait for jiffies to move: never. */
	preset_lpj = 1000000;
}

void __init mem_init(void)
{
	memblock_free_all();
}

/* The generic version frees the init sections' pages, but those belong to the
 * loaded image, not to the RAM block. */
void free_initmem(void)
{
}
