# kunit.py --qemu_config for a 32-bit e500mc (QorIQ P4080 class) kernel on
# QEMU's ppce500 machine, which loads the ELF vmlinux itself and passes a
# device tree with an ns16550 console (ttyS0) and an MPIC MSI bank; it has
# no PAMU. kunit.py writes only this fragment and the kunitconfig before
# olddefconfig, so the 32-bit Book E e500mc choices are spelled out.
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='powerpc',
			   kconfig='''
CONFIG_PPC32=y
CONFIG_PPC_85xx=y
CONFIG_PPC_E500MC=y
CONFIG_PPC_QEMU_E500=y
CONFIG_CORENET_GENERIC=y
CONFIG_PHYS_64BIT=y
CONFIG_HIGHMEM=y
CONFIG_SERIAL_8250=y
CONFIG_SERIAL_8250_CONSOLE=y''',
			   qemu_arch='ppc',
			   kernel_path='vmlinux',
			   kernel_command_line='console=ttyS0',
			   extra_qemu_params=['-M', 'ppce500', '-cpu', 'e500mc'])
