// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfio-demo: drive QEMU's edu PCI device from userspace through VFIO and the
 * IOMMU, and tell in plain words what happens at each step: the IOMMU group,
 * the MSI window and, where it is a software one, moving it away from
 * 128 MiB so that "guest memory" can live there, the IOVA space, a DMA from
 * RAM at 128 MiB to the device and back, an MSI through the moved window,
 * and, with MSI disabled again, the window moved once more and an MSI through
 * its new place.
 *
 * Uses the library of tools/testing/selftests/vfio. Prints "demo: SUCCESS"
 * and exits 0, or "demo: FAILED: <reason>" and exits 1.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "vfio_edu.h"
#include "vfio_util.h"

#define DEMO_DMA_LEN	2048
#define DEMO_IRQ	0x1234
/* Where a VMM wants guest RAM, and where the MSI window goes instead */
#define DEMO_RAM_IOVA	0x8000000ULL
#define DEMO_MSI_START	0x10000000ULL
#define DEMO_MSI_SIZE	0x100000ULL
#define MSI_TIMEOUT_MS	5000
#define MAX_RESV	64

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

struct demo_buf {
	__u8 *vaddr;
	__u64 iova;
	size_t size;
};

struct demo {
	char bdf[VFIO_PCI_BDF_LEN];
	int group_id;
	struct vfio_resv_region resv[MAX_RESV];
	int nr_resv;
	struct vfio_pci_dev dev;
	struct edu edu;
	struct vfio_iommu_type1_info *info;
	struct demo_buf src, dst;
	int eventfd;
	bool msi_enabled;
};

static char reason[256];

static void say(const char *fmt, ...)
{
	va_list ap;

	printf("demo: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Record why the demo failed and return -1. */
static int failed(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	return -1;
}

static const char *resv_meaning(const char *type)
{
	if (!strcmp(type, "msi"))
		return "MSI doorbell window, not usable for DMA buffers";
	if (!strcmp(type, "reserved"))
		return "reserved, not usable for DMA";
	if (!strcmp(type, "direct"))
		return "identity-mapped for firmware, not usable for DMA buffers";
	if (!strcmp(type, "direct-relaxable"))
		return "identity-mapped for firmware, may be reused by VFIO";
	return "unknown type";
}

static const struct vfio_resv_region *find_msi_region(const struct demo *d)
{
	int i;

	for (i = 0; i < d->nr_resv; i++)
		if (!strcmp(d->resv[i].type, "msi"))
			return &d->resv[i];
	return NULL;
}

static int find_device(struct demo *d)
{
	int ret;

	say("looking for an edu device (%04x:%04x) bound to vfio-pci", EDU_VENDOR_ID,
	    EDU_DEVICE_ID);
	ret = vfio_find_pci_device(EDU_VENDOR_ID, EDU_DEVICE_ID, d->bdf, sizeof(d->bdf));
	if (ret)
		return failed("no edu device bound to vfio-pci: %s", strerror(-ret));
	say("found the edu device at PCI address %s", d->bdf);
	return 0;
}

static int show_group(struct demo *d)
{
	const struct vfio_resv_region *r;
	int i;

	d->group_id = vfio_pci_iommu_group(d->bdf);
	if (d->group_id < 0)
		return failed("no IOMMU group for %s: %s", d->bdf, strerror(-d->group_id));
	d->nr_resv = vfio_group_reserved_regions(d->group_id, d->resv, MAX_RESV);
	if (d->nr_resv < 0)
		return failed("cannot read the reserved regions of IOMMU group %d: %s",
			      d->group_id, strerror(-d->nr_resv));

	say("it is in IOMMU group %d, which reserves %d bus address region(s):", d->group_id,
	    d->nr_resv);
	for (i = 0; i < d->nr_resv; i++) {
		r = &d->resv[i];
		say("  0x%016llx-0x%016llx %-16s (%s)", (unsigned long long)r->start,
		    (unsigned long long)r->end, r->type, resv_meaning(r->type));
	}
	return 0;
}

static int open_device(struct demo *d)
{
	int ret;

	ret = vfio_pci_dev_open(&d->dev, d->bdf, VFIO_TYPE1v2_IOMMU);
	if (ret)
		return failed("cannot open %s through VFIO: %s", d->bdf, strerror(-ret));
	say("opened /dev/vfio/vfio (the container), /dev/vfio/%d (the group) and the device",
	    d->group_id);
	say("the container uses the type1v2 IOMMU backend (VFIO_TYPE1v2_IOMMU)");

	ret = edu_init(&d->edu, d->dev.device);
	if (ret)
		return failed("edu device does not respond: %s", strerror(-ret));
	say("edu registers (BAR0, %zu bytes) mapped, ident 0x%08x, bus mastering on",
	    d->edu.bar_size, edu_read32(&d->edu, EDU_REG_IDENT));
	return 0;
}

static void show_msi_window(const struct vfio_iommu_type1_info_cap_msi_resv *c)
{
	say("  MSI window 0x%llx-0x%llx: %s, %u doorbell page(s) mapped, %llu KiB each,",
	    (unsigned long long)c->start, (unsigned long long)(c->start + c->size - 1),
	    c->flags & VFIO_MSI_RESV_HW ? "fixed in hardware" :
	    c->flags & VFIO_MSI_RESV_USER ? "placed by us" : "the IOMMU driver's default",
	    c->doorbells, (unsigned long long)c->pgsize >> 10);
	say("  and the devices need at least %llu KiB of it",
	    (unsigned long long)c->min_size >> 10);
}

static int move_msi_window(struct demo *d)
{
	struct vfio_iommu_type1_info_cap_msi_resv cap;
	int c = d->dev.container, ret;

	if (ioctl(c, VFIO_CHECK_EXTENSION, (unsigned long)VFIO_TYPE1_MSI_RESV) != 1)
		return failed("the kernel has no VFIO_TYPE1_MSI_RESV (VFIO_IOMMU_SET_MSI_RESV)");
	ret = vfio_type1_msi_resv(c, &cap);
	if (ret)
		return failed("no MSI window capability in VFIO_IOMMU_GET_INFO: %s",
			      strerror(-ret));
	say("VFIO_IOMMU_GET_INFO, MSI window capability:");
	show_msi_window(&cap);
	if (cap.flags & VFIO_MSI_RESV_HW) {
		say("the window is fixed in hardware, and 0x%llx is free for guest memory anyway",
		    (unsigned long long)DEMO_RAM_IOVA);
		return 0;
	}
	if (DEMO_RAM_IOVA + DEMO_MSI_SIZE <= cap.start || DEMO_RAM_IOVA >= cap.start + cap.size) {
		say("the window does not cover 0x%llx: nothing to move",
		    (unsigned long long)DEMO_RAM_IOVA);
		return 0;
	}
	say("guest memory must live at 0x%llx (128 MiB), inside that window:",
	    (unsigned long long)DEMO_RAM_IOVA);
	say("moving the window to 0x%llx with VFIO_IOMMU_SET_MSI_RESV, before enabling MSI",
	    (unsigned long long)DEMO_MSI_START);
	ret = vfio_type1_set_msi_resv(c, 0, 0, DEMO_MSI_START,
				      cap.min_size > DEMO_MSI_SIZE ? cap.min_size : DEMO_MSI_SIZE);
	if (ret)
		return failed("VFIO_IOMMU_SET_MSI_RESV failed: %s", strerror(-ret));
	ret = vfio_type1_msi_resv(c, &cap);
	if (ret)
		return failed("no MSI window capability after the move: %s", strerror(-ret));
	show_msi_window(&cap);
	if (cap.start != DEMO_MSI_START)
		return failed("the window is at 0x%llx, not 0x%llx", (unsigned long long)cap.start,
			      (unsigned long long)DEMO_MSI_START);
	return 0;
}

static int show_iova_ranges(struct demo *d)
{
	const struct vfio_iommu_type1_info_cap_iova_range *r;
	__u32 i;
	int ret;

	ret = vfio_type1_get_info(d->dev.container, &d->info);
	if (ret)
		return failed("VFIO_IOMMU_GET_INFO failed: %s", strerror(-ret));
	r = vfio_type1_iova_range_cap(d->info);
	if (!r || !r->nr_iovas)
		return failed("VFIO_IOMMU_GET_INFO reports no usable IOVA range");

	say("VFIO_IOMMU_GET_INFO: the device may use these IOVA ranges (page sizes 0x%llx):",
	    (unsigned long long)d->info->iova_pgsizes);
	for (i = 0; i < r->nr_iovas; i++)
		say("  0x%016llx-0x%016llx", (unsigned long long)r->iova_ranges[i].start,
		    (unsigned long long)r->iova_ranges[i].end);
	return 0;
}

static int map_buf(struct demo *d, struct demo_buf *b, const char *name, __u64 min)
{
	const struct vfio_iommu_type1_info_cap_iova_range *r = vfio_type1_iova_range_cap(d->info);
	int ret;

	b->size = sysconf(_SC_PAGESIZE);
	b->vaddr = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1, 0);
	if (b->vaddr == MAP_FAILED) {
		b->vaddr = NULL;
		return failed("cannot allocate the %s buffer: %s", name, strerror(errno));
	}

	ret = vfio_iova_pick(r, b->size, b->size, min, &b->iova);
	if (ret || b->iova + b->size - 1 > d->edu.dma_mask)
		return failed("no IOVA for the %s buffer below the edu DMA limit 0x%llx", name,
			      (unsigned long long)d->edu.dma_mask);
	ret = vfio_dma_map(d->dev.container, b->vaddr, b->iova, b->size, 0);
	if (ret)
		return failed("VFIO_IOMMU_MAP_DMA of the %s buffer failed: %s", name,
			      strerror(-ret));
	say("mapped the %s buffer (%zu bytes at %p) at IOVA 0x%llx", name, b->size, b->vaddr,
	    (unsigned long long)b->iova);
	return 0;
}

static int map_buffers(struct demo *d)
{
	if (map_buf(d, &d->src, "source", DEMO_RAM_IOVA))
		return -1;
	if (d->src.iova != DEMO_RAM_IOVA)
		return failed("IOVA 0x%llx is not usable for the source buffer",
			      (unsigned long long)DEMO_RAM_IOVA);
	/* Leave an unmapped page between the two buffers. */
	return map_buf(d, &d->dst, "destination", d->src.iova + 2 * d->src.size);
}

static int dma_roundtrip(struct demo *d)
{
	size_t i, good = 0;
	int ret;

	for (i = 0; i < d->src.size; i++)
		d->src.vaddr[i] = (i * 7 + 3) & 0xff;
	memset(d->dst.vaddr, 0, d->dst.size);

	say("DMA: %d bytes RAM (IOVA 0x%llx) -> edu buffer", DEMO_DMA_LEN,
	    (unsigned long long)d->src.iova);
	ret = edu_dma_to_dev(&d->edu, d->src.iova, 0, DEMO_DMA_LEN, false);
	if (ret)
		return failed("DMA to the device failed: %s", strerror(-ret));
	say("DMA: %d bytes edu buffer -> RAM (IOVA 0x%llx)", DEMO_DMA_LEN,
	    (unsigned long long)d->dst.iova);
	ret = edu_dma_from_dev(&d->edu, 0, d->dst.iova, DEMO_DMA_LEN, false);
	if (ret)
		return failed("DMA from the device failed: %s", strerror(-ret));

	for (i = 0; i < DEMO_DMA_LEN; i++)
		good += d->dst.vaddr[i] == d->src.vaddr[i];
	say("%zu of %d bytes verified", good, DEMO_DMA_LEN);
	if (good != DEMO_DMA_LEN)
		return failed("the destination buffer does not match the source");
	return 0;
}

static void explain_msi(const struct demo *d)
{
	const struct vfio_resv_region *msi = find_msi_region(d);

	if (!msi)
		return;
	say("note: an MSI is a memory write by the device to the interrupt controller's doorbell;");
	say("note: where the IOMMU translates it (arm64 SMMU) the kernel maps the doorbell page");
	say("note: into the container's MSI window; the group still lists the driver's default");
	say("note: window 0x%llx-0x%llx in sysfs", (unsigned long long)msi->start,
	    (unsigned long long)msi->end);
}

static int msi_roundtrip(struct demo *d)
{
	struct vfio_iommu_type1_info_cap_msi_resv cap;
	__u32 status;
	__u64 count;
	int ret;

	d->eventfd = eventfd(0, EFD_CLOEXEC);
	if (d->eventfd < 0)
		return failed("eventfd: %s", strerror(errno));
	ret = vfio_msi_enable(d->dev.device, d->eventfd);
	if (ret)
		return failed("VFIO_DEVICE_SET_IRQS (MSI) failed: %s", strerror(-ret));
	d->msi_enabled = true;
	say("MSI of the device now signals an eventfd (VFIO_DEVICE_SET_IRQS)");

	say("asking the device to raise interrupt 0x%x", DEMO_IRQ);
	edu_raise_irq(&d->edu, DEMO_IRQ);
	ret = eventfd_wait(d->eventfd, MSI_TIMEOUT_MS, &count);
	if (ret)
		return failed("no MSI within %d ms: %s", MSI_TIMEOUT_MS, strerror(-ret));
	status = edu_irq_status(&d->edu);
	say("MSI received on the eventfd (count %llu), device interrupt status 0x%x",
	    (unsigned long long)count, status);
	if (status != DEMO_IRQ)
		return failed("interrupt status 0x%x, expected 0x%x", status, DEMO_IRQ);
	edu_irq_ack(&d->edu, DEMO_IRQ);
	explain_msi(d);
	ret = vfio_type1_msi_resv(d->dev.container, &cap);
	if (ret)
		return failed("no MSI window capability: %s", strerror(-ret));
	say("VFIO_IOMMU_GET_INFO, MSI window capability after the interrupt:");
	show_msi_window(&cap);

	ret = vfio_msi_disable(d->dev.device);
	if (ret)
		return failed("disabling MSI failed: %s", strerror(-ret));
	d->msi_enabled = false;
	return 0;
}

/*
 * MSI is disabled now, so no doorbell is mapped and the window can move
 * again (a VMM does this after a guest reset): move it one window further,
 * put memory where it was, and take an MSI through the new place.
 */
static int move_again(struct demo *d)
{
	struct vfio_iommu_type1_info_cap_msi_resv cap;
	int c = d->dev.container, ret;
	__u64 old, count;
	size_t i, size;
	__u8 *mem;

	ret = vfio_type1_msi_resv(c, &cap);
	if (ret)
		return failed("no MSI window capability: %s", strerror(-ret));
	say("MSI disabled (VFIO_DEVICE_SET_IRQS, count 0): the doorbell page is unmapped again:");
	show_msi_window(&cap);
	if (cap.flags & VFIO_MSI_RESV_HW)
		return 0;
	if (cap.doorbells)
		return failed("%u doorbell page(s) still mapped with MSI disabled", cap.doorbells);

	old = cap.start;
	size = cap.size;
	say("moving the window again, to 0x%llx, and mapping memory where it was",
	    (unsigned long long)(old + size));
	ret = vfio_type1_set_msi_resv(c, 0, 0, old + size, size);
	if (ret)
		return failed("VFIO_IOMMU_SET_MSI_RESV after MSI was disabled failed: %s",
			      strerror(-ret));
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return failed("cannot allocate memory: %s", strerror(errno));
	ret = vfio_dma_map(c, mem, old, size, 0);
	if (ret) {
		munmap(mem, size);
		return failed("VFIO_IOMMU_MAP_DMA at the old window failed: %s", strerror(-ret));
	}

	ret = vfio_msi_enable(d->dev.device, d->eventfd);
	if (ret) {
		ret = failed("VFIO_DEVICE_SET_IRQS (MSI) failed: %s", strerror(-ret));
		goto out;
	}
	d->msi_enabled = true;
	edu_raise_irq(&d->edu, DEMO_IRQ);
	ret = eventfd_wait(d->eventfd, MSI_TIMEOUT_MS, &count);
	if (ret) {
		ret = failed("no MSI through the new window within %d ms: %s", MSI_TIMEOUT_MS,
			     strerror(-ret));
		goto out;
	}
	edu_irq_ack(&d->edu, DEMO_IRQ);
	for (i = 0; i < size && !mem[i]; i++)
		;
	ret = vfio_type1_msi_resv(c, &cap);
	if (ret) {
		ret = failed("no MSI window capability: %s", strerror(-ret));
		goto out;
	}
	say("MSI received through the new window; the memory at the old window is untouched%s",
	    i == size ? "" : " (NOT)");
	show_msi_window(&cap);
	if (i != size)
		ret = failed("the MSI wrote at IOVA 0x%llx", (unsigned long long)(old + i));
	else if (cap.start != old + size || cap.doorbells != 1)
		ret = failed("the doorbell is not mapped in the new window");
out:
	if (d->msi_enabled && !vfio_msi_disable(d->dev.device))
		d->msi_enabled = false;
	if (vfio_dma_unmap(c, old, size, 0, NULL) && !ret)
		ret = failed("VFIO_IOMMU_UNMAP_DMA at the old window failed");
	munmap(mem, size);
	return ret;
}

static int unmap_buffers(struct demo *d)
{
	struct demo_buf *bufs[] = { &d->src, &d->dst };
	__u64 unmapped, total = 0;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(bufs); i++) {
		ret = vfio_dma_unmap(d->dev.container, bufs[i]->iova, bufs[i]->size, 0,
				     &unmapped);
		if (ret)
			return failed("VFIO_IOMMU_UNMAP_DMA failed: %s", strerror(-ret));
		if (unmapped != bufs[i]->size)
			return failed("unmapped %llu bytes at IOVA 0x%llx, expected %zu",
				      (unsigned long long)unmapped,
				      (unsigned long long)bufs[i]->iova, bufs[i]->size);
		total += unmapped;
	}
	say("unmapped both buffers (%llu bytes) from the IOMMU", (unsigned long long)total);
	return 0;
}

static void cleanup(struct demo *d)
{
	if (d->msi_enabled)
		vfio_msi_disable(d->dev.device);
	if (d->eventfd >= 0)
		close(d->eventfd);
	edu_fini(&d->edu);
	vfio_pci_dev_close(&d->dev);
	if (d->src.vaddr)
		munmap(d->src.vaddr, d->src.size);
	if (d->dst.vaddr)
		munmap(d->dst.vaddr, d->dst.size);
	free(d->info);
}

int main(void)
{
	static int (*const steps[])(struct demo *d) = {
		find_device, show_group, open_device, move_msi_window, show_iova_ranges,
		map_buffers, dma_roundtrip, msi_roundtrip, move_again, unmap_buffers,
	};
	struct demo d = {
		.dev = { .container = -1, .group = -1, .device = -1 },
		.eventfd = -1,
	};
	size_t i;
	int ret = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < ARRAY_SIZE(steps) && !ret; i++)
		ret = steps[i](&d);
	cleanup(&d);

	if (ret) {
		say("FAILED: %s", reason);
		return 1;
	}
	say("SUCCESS");
	return 0;
}
