# Build rules of the userland harness; included by the top-level Makefile.
#
# Real kernel files (each mm/*.c, lib/*.c and arch/x86/mm/*.c here includes the file of the
# same name from KDIR) and the kernel-mode models in shims/ are compiled with the flags kbuild
# uses for mm/ in the harness configuration (configs/harness.config), so they see the real
# kernel headers. Only shims/host.c is built against the C library.
#
#   HARNESS_VARIANT  stock (the tree as configured by configs/harness.config)
#   SAN              asan (AddressSanitizer + UBSan, default) or none (for Valgrind)

HARNESS_VARIANT ?= stock
SAN ?= asan
HB := build/harness/$(HARNESS_VARIANT)
HO := $(HB)/$(SAN)
HARNESS_FRAGMENTS := configs/harness.config

REAL_CUS := $(wildcard mm/*.c lib/*.c arch/x86/mm/*.c)
SHIM_CUS := $(filter-out shims/host.c,$(wildcard shims/*.c))
KERNEL_OBJS := $(patsubst %.c,$(HO)/%.o,$(REAL_CUS) $(SHIM_CUS))

SAN_FLAGS_asan := -fsanitize=address -fsanitize=undefined -fno-sanitize-recover=undefined
SAN_FLAGS_none :=
SAN_FLAGS := $(SAN_FLAGS_$(SAN))

# Our shadow headers come first; then kbuild's flags; then the tree for "mm/x.c" includes.
KERNEL_CFLAGS = -I$(CURDIR)/include $(shell cat $(HB)/kernel.cflags 2>/dev/null) \
	-iquote $(KDIR) -iquote $(CURDIR)/shims -iquote $(CURDIR)/tests/lib \
	-O1 -g -fno-omit-frame-pointer $(SAN_FLAGS)
HOST_CFLAGS = -O1 -g -fno-omit-frame-pointer -Wall -Wextra $(SAN_FLAGS)

.PHONY: harness-config harness-objs FORCE
FORCE:

$(HB)/kernel.cflags: FORCE
	@tools/harness-config $(KDIR) $(CURDIR)/$(HB) $(HARNESS_FRAGMENTS)

harness-config: $(HB)/kernel.cflags

# Objects depend on the flags file, whose stamp changes with the tree's HEAD and the fragments.
$(HO)/%.o: %.c $(HB)/kernel.cflags
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) -DKBUILD_MODNAME='"$(*F)"' -DKBUILD_BASENAME='"$(*F)"' -MMD -MP -c $< -o $@

$(HO)/shims/host.o: shims/host.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	@$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

harness-objs: $(KERNEL_OBJS) $(HO)/shims/host.o

-include $(shell find $(HO) -name '*.d' 2>/dev/null)

# For tests/harness-build: where objects go and which files are compiled.
.PHONY: print-harness-objdir print-harness-cus
print-harness-objdir:
	@echo $(HO)
print-harness-cus:
	@echo $(REAL_CUS) $(SHIM_CUS) shims/host.c
