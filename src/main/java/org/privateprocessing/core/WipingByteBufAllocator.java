package org.privateprocessing.core;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A Netty allocator whose buffers are zeroed when they are released (and when they grow), for a
 * listener that sees content in the clear: the enclave's RA-TLS listener, where TLS is decrypted
 * into Netty's buffers. Netty's default allocator pools its buffers in native memory and hands
 * released ones out again unchanged, so a request's text stayed in the process's memory through
 * thousands of later requests; plain unpooled buffers would return it to {@code malloc} unchanged,
 * which is no better. These buffers are unpooled and wiped before they are freed.
 *
 * <p>What this cannot reach: the TLS library's own buffers (BoringSSL clears what it frees), and
 * the heap copies Vert.x makes of each chunk (garbage after the request, overwritten as the heap is
 * reused; the enclave wipes the copies it keeps). It costs an allocation and a wipe per buffer,
 * which only this one listener pays.
 */
public final class WipingByteBufAllocator extends AbstractByteBufAllocator {
  public static final WipingByteBufAllocator INSTANCE = new WipingByteBufAllocator();

  private WipingByteBufAllocator() {
    super(true); // TLS with BoringSSL reads and writes direct buffers
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    return new Heap(this, initialCapacity, maxCapacity);
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    return new Direct(this, initialCapacity, maxCapacity);
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }

  /** Zeroes every byte of {@code memory}, whatever its position and limit. */
  static void wipe(ByteBuffer memory) {
    ByteBuffer all = memory.duplicate();
    all.clear();
    while (all.remaining() >= Long.BYTES) {
      all.putLong(0L);
    }
    while (all.hasRemaining()) {
      all.put((byte) 0);
    }
  }

  /** Heap buffers: Netty frees an array (on release and on growth) through {@code freeArray}. */
  private static final class Heap extends UnpooledHeapByteBuf {
    Heap(ByteBufAllocator alloc, int initialCapacity, int maxCapacity) {
      super(alloc, initialCapacity, maxCapacity);
    }

    @Override
    protected void freeArray(byte[] array) {
      Arrays.fill(array, (byte) 0);
    }
  }

  /**
   * Direct buffers. Netty frees their memory by a path a subclass cannot intercept, so this keeps
   * its own view of the memory to wipe on release, and wipes the old memory itself before growing.
   */
  private static final class Direct extends UnpooledDirectByteBuf {
    private ByteBuffer memory;

    Direct(ByteBufAllocator alloc, int initialCapacity, int maxCapacity) {
      super(alloc, initialCapacity, maxCapacity);
      memory = nioBuffer(0, capacity());
    }

    @Override
    public ByteBuf capacity(int newCapacity) {
      checkNewCapacity(newCapacity);
      int old = capacity();
      if (newCapacity == old) {
        return this;
      }
      // Netty copies into new memory and frees the old unchanged: keep the bytes aside, wipe the
      // old memory, let Netty reallocate (copying zeros), then put the bytes back.
      byte[] keep = new byte[Math.min(old, newCapacity)];
      getBytes(0, keep);
      setZero(0, old);
      try {
        super.capacity(newCapacity);
        setBytes(0, keep);
      } finally {
        Arrays.fill(keep, (byte) 0);
      }
      memory = nioBuffer(0, capacity());
      return this;
    }

    @Override
    protected void deallocate() {
      wipe(memory);
      super.deallocate();
    }
  }
}
