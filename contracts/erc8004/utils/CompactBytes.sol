// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title CompactBytes
 * @notice Stores a byte string with its length packed into the first word, one storage slot fewer than Solidity's
 * layout for most strings longer than 31 bytes (a 66-character `ipfs://` URI takes 3 slots instead of 4).
 *
 * Layout of a value at head slot `p`: slot `p` holds content bytes `[0, 28)` in its high 28 bytes and the length
 * in its low 4 bytes; content bytes `[28 + 32k, 60 + 32k)` are in slot `p + 1 + k`. Bytes past the end of the
 * content are always zero. The head slot is a mapping value (a keccak-derived slot), so the slots that follow it
 * are as collision-free as Solidity's own struct members and array elements.
 *
 * NOTE: Overwriting a value with a shorter one leaves the old tail slots in place (they are never read, since
 * reads stop at the stored length). Not clearing them saves gas now and makes a later longer write cheaper.
 */
library CompactBytes {
    /// @dev A stored byte string. Use only as a mapping value or struct member (never in memory).
    struct Stored {
        uint256 _head;
    }

    /// @dev The length sits in the low 4 bytes of the head slot.
    uint256 private constant _LENGTH_MASK = 0xffffffff;

    /// @dev Content bytes held by the head slot.
    uint256 private constant _HEAD_BYTES = 28;

    /// @notice `length` bytes exceed the `2**32 - 1` this layout can hold.
    error CompactBytesTooLong(uint256 length);

    /// @dev Stores `data` (calldata) in `self`.
    function set(Stored storage self, bytes calldata data) internal {
        uint256 size = data.length;
        if (size > _LENGTH_MASK) revert CompactBytesTooLong(size);
        assembly ("memory-safe") {
            let slot := self.slot
            // The head keeps min(length, 28) content bytes; the mask has that many leading 0xff bytes.
            let headBytes := size
            if gt(headBytes, _HEAD_BYTES) {
                headBytes := _HEAD_BYTES
            }
            // calldataload reads 32 bytes; bytes past the content (padding or the next argument) are masked off.
            let head := and(calldataload(data.offset), not(shr(shl(3, headBytes), not(0))))
            sstore(slot, or(head, size))
            // Tail: content bytes [28, size), 32 per slot from slot + 1.
            let end := add(data.offset, size)
            for {
                let src := add(data.offset, _HEAD_BYTES)
            } lt(src, end) {
                src := add(src, 0x20)
            } {
                slot := add(slot, 1)
                let word := calldataload(src)
                let remaining := sub(end, src)
                // The last word keeps only the `remaining` content bytes.
                if lt(remaining, 0x20) {
                    word := and(word, not(shr(shl(3, remaining), not(0))))
                }
                sstore(slot, word)
            }
        }
    }

    /// @dev Loads the value stored in `self` (empty if never set).
    function get(Stored storage self) internal view returns (bytes memory value) {
        assembly ("memory-safe") {
            let slot := self.slot
            let head := sload(slot)
            let size := and(head, _LENGTH_MASK)
            value := mload(0x40)
            mstore(value, size)
            // Content bytes [0, 28) followed by 4 zero bytes (the length is masked off).
            mstore(add(value, 0x20), and(head, not(_LENGTH_MASK)))
            // Tail words land at value + 0x20 + 28 + 32k, each overwriting the previous word's 4 zero bytes.
            let end := add(add(value, 0x20), size)
            for {
                let dst := add(value, add(0x20, _HEAD_BYTES))
            } lt(dst, end) {
                dst := add(dst, 0x20)
            } {
                slot := add(slot, 1)
                mstore(dst, sload(slot))
            }
            // The last word written ends before value + 0x40 + size; reserve up to the next 32-byte boundary.
            mstore(0x40, add(value, add(0x40, and(add(size, 0x1f), not(0x1f)))))
        }
    }

    /// @dev Empties `self` (only its head slot is written: the tail slots are never read past a zero length).
    function clear(Stored storage self) internal {
        self._head = 0;
    }

    /// @dev The length of the value stored in `self`.
    function length(Stored storage self) internal view returns (uint256) {
        return self._head & _LENGTH_MASK;
    }
}
