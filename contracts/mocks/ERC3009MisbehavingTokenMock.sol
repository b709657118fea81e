// SPDX-License-Identifier: MIT
// CAUTION: unsafe mock, test only
pragma solidity 0.8.30;

/// @dev The part of the BatchSettlementRouter a reentering token calls.
interface IReenterable {
    function settle(bytes calldata batch, uint256 itemGasLimit) external returns (bytes memory);

    function settleWithFees(bytes calldata batch, uint256 itemGasLimit) external returns (bytes memory);
}

/**
 * @title ERC3009MisbehavingTokenMock
 * @notice An "EIP-3009 token" that accepts every authorization without checking it and misbehaves in one
 * chosen way, to test that a router counts what arrived by balance change and guards against reentrancy:
 * - `Mode.NoPull`: `receiveWithAuthorization` succeeds without moving tokens;
 * - `Mode.NoDebit`: `transfer` credits the recipient without debiting the sender;
 * - `Mode.Reenter`: `transferWithAuthorization` calls back into `router.settle`, and `receiveWithAuthorization`
 *   into `router.settleWithFees`, and bubbles its revert.
 * Otherwise it moves balances like a plain ERC-20.
 */
contract ERC3009MisbehavingTokenMock {
    enum Mode {
        NoPull,
        NoDebit,
        Reenter
    }

    Mode public immutable mode;
    address public immutable router;
    mapping(address account => uint256) public balanceOf;

    /**
     * @param mode_ The misbehaviour.
     * @param router_ The router to reenter (`Mode.Reenter`).
     */
    constructor(Mode mode_, address router_) {
        mode = mode_;
        router = router_;
    }

    /// @notice Gives `account` `amount` tokens.
    function mint(address account, uint256 amount) external {
        balanceOf[account] += amount;
    }

    /// @notice ERC-20 transfer (`Mode.NoDebit`: the sender keeps its tokens).
    function transfer(address to, uint256 amount) external returns (bool) {
        if (mode != Mode.NoDebit) balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        return true;
    }

    /// @notice Moves `value` from `from` to `to` without any check (`Mode.Reenter`: reenters `router` first).
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256,
        uint256,
        bytes32,
        uint8,
        bytes32,
        bytes32
    ) external {
        if (mode == Mode.Reenter) {
            _reenter(abi.encodeCall(IReenterable.settle, (hex"", 0)));
        }
        balanceOf[from] -= value;
        balanceOf[to] += value;
    }

    /// @notice Moves `value` from `from` to `to` (the caller) without any check (`Mode.NoPull`: moves nothing;
    /// `Mode.Reenter`: reenters `router.settleWithFees` first).
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256,
        uint256,
        bytes32,
        uint8,
        bytes32,
        bytes32
    ) external {
        if (mode == Mode.NoPull) return;
        if (mode == Mode.Reenter) _reenter(abi.encodeCall(IReenterable.settleWithFees, (hex"", 0)));
        balanceOf[from] -= value;
        balanceOf[to] += value;
    }

    /// @dev Calls `router` with `call` and bubbles its revert.
    function _reenter(bytes memory call) private {
        (bool ok, bytes memory data) = router.call(call);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(data, 0x20), mload(data))
            }
        }
    }
}
